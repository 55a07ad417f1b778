/** Real media for tests: short clips made by ffmpeg's lavfi test source, and ffprobe's view of a file. */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { readMp4GraphText } from '../../runtime/graph/mp4-metadata.ts';

const run = promisify(execFile);

/** A 1-second 64×48 H.264 MP4 at `path`; `extra` args go before the output (e.g. `-metadata comment=…`). */
export async function lavfiClip(path: string, extra: string[] = []): Promise<void> {
  await run('ffmpeg', ['-nostdin', '-v', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc=size=64x48:rate=10:duration=1', '-pix_fmt', 'yuv420p', '-c:v', 'libx264', ...extra, path]);
}

/** ffprobe's format tags and video stream of a file. */
export async function probe(path: string): Promise<{ tags: Record<string, string>; codec: string; frames: number; width: number }> {
  const { stdout } = await run('ffprobe', ['-v', 'error', '-count_frames', '-show_entries', 'format_tags:stream=codec_name,nb_read_frames,width', '-of', 'json', path]);
  const j = JSON.parse(stdout) as { format?: { tags?: Record<string, string> }; streams: { codec_name: string; nb_read_frames: string; width: number }[] };
  const video = j.streams[0]!;
  return { tags: j.format?.tags ?? {}, codec: video.codec_name, frames: Number(video.nb_read_frames), width: video.width };
}

/** The graph text in MP4 bytes held in memory. */
export function mp4Graph(bytes: Uint8Array): Promise<string | undefined> {
  return readMp4GraphText(async (start, end) => bytes.subarray(start, end), bytes.length);
}
