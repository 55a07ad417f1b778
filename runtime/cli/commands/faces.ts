/**
 * `castgraph faces compare <photo> <photo> [...]`: pairwise IDR scores, the same numbers identity.gate computes,
 * so artists can calibrate a threshold on their own photos.
 */
import { resolve } from 'node:path';
import { decodeImage, loadAnalyzer } from '../../face/node.ts';
import { cosine, idrScore } from '../../face/similarity.ts';
import type { EmbedderKind } from '../../face/embedders.ts';
import { DETECTOR_IDS, EMBEDDER_IDS, licenceWarning, modelEntry, type DetectorId, type EmbedderId } from '../../models/catalog.ts';
import { defaultModelsDir, ModelError, ModelManager } from '../../models/manager.ts';
import { defineCommand, EXIT, UsageError } from '../command.ts';

interface PhotoResult {
  photo: string;
  faces: number;
  reason?: string;
  embedding?: Float32Array;
}

export default defineCommand({
  name: 'faces',
  summary: 'compare faces in photos: pairwise identity (IDR) scores',
  usage: [
    'usage: castgraph faces compare <photo> <photo> [...] [--json] [--detector yunet|scrfd] [--embedder mobilefacenet|w600k_r50|w600k_mbf] [--multi-face fail|largest]',
    '',
    'Prints the IDR score (0..1, the score identity.gate uses) of every pair of photos, with the raw cosine.',
    '  --json         a JSON object with the photos, a score matrix and a cosine matrix (null where a photo has no usable face)',
    '  --detector     yunet (default, MIT) or scrfd (InsightFace: non-commercial research only)',
    '  --embedder     mobilefacenet (default, Apache-2.0) or w600k_r50 / w600k_mbf (InsightFace: non-commercial)',
    '  --multi-face   fail (default: a photo with several dominant faces is not scored) or largest',
    'Models are read from $CASTGRAPH_MODELS_DIR (default ~/.castgraph/models); see `castgraph models`.',
  ].join('\n'),
  options: {
    json: { type: 'boolean' },
    detector: { type: 'string' },
    embedder: { type: 'string' },
    'multi-face': { type: 'string' },
  },
  async run({ values, positionals }, io) {
    const [sub, ...photos] = positionals;
    if (sub !== 'compare') throw new UsageError(sub ? `unknown sub-command "${sub}"` : 'missing sub-command: compare');
    if (photos.length < 2) throw new UsageError('compare needs at least two photos');
    const detector = (values.detector ?? 'yunet') as DetectorId;
    const embedder = (values.embedder ?? 'mobilefacenet') as EmbedderId;
    const multiFace = (values['multi-face'] ?? 'fail') as 'fail' | 'largest';
    if (!DETECTOR_IDS.includes(detector)) throw new UsageError(`--detector must be one of ${DETECTOR_IDS.join(', ')}`);
    if (!EMBEDDER_IDS.includes(embedder)) throw new UsageError(`--embedder must be one of ${EMBEDDER_IDS.join(', ')}`);
    if (multiFace !== 'fail' && multiFace !== 'largest') throw new UsageError('--multi-face must be fail or largest');
    for (const id of [detector, embedder]) {
      const w = licenceWarning(id);
      if (w) io.stderr.write(`warning: ${w}\n`);
    }
    let analyzer;
    try {
      analyzer = await loadAnalyzer({ detector, embedder, manager: new ModelManager(defaultModelsDir(io.env)) });
    } catch (err) {
      if (!(err instanceof ModelError)) throw err;
      io.stderr.write(`castgraph faces: ${err.message}\n`);
      return EXIT.usage;
    }
    const results: PhotoResult[] = [];
    for (const photo of photos) {
      try {
        const r = await analyzer.analyze(await decodeImage(resolve(io.cwd, photo)), { multiFace });
        results.push({ photo, faces: r.faces.length, reason: r.reason, embedding: r.embedding });
      } catch (err) {
        results.push({ photo, faces: 0, reason: `cannot read: ${(err as Error).message}` });
      }
    }
    const family = modelEntry(embedder).family as EmbedderKind;
    const cos = results.map((a) => results.map((b) => (a.embedding && b.embedding ? cosine(a.embedding, b.embedding) : null)));
    const score = cos.map((row) => row.map((c) => (c === null ? null : idrScore(c, family))));
    if (values.json) {
      const r4 = (v: number | null) => (v === null ? null : Math.round(v * 1e4) / 1e4);
      const out = {
        detector,
        embedder,
        photos: results.map(({ photo, faces, reason }) => ({ photo, faces, ...(reason ? { reason } : {}) })),
        scores: score.map((row) => row.map(r4)),
        cosines: cos.map((row) => row.map(r4)),
      };
      io.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
    } else {
      io.stdout.write(table(results, score, cos));
    }
    return results.every((r) => r.embedding) ? EXIT.ok : EXIT.failed;
  },
});

function table(results: PhotoResult[], score: (number | null)[][], cos: (number | null)[][]): string {
  const lines: string[] = [];
  for (const r of results) if (!r.embedding) lines.push(`${r.photo}: ${r.reason}`);
  if (lines.length) lines.push('');
  const width = Math.max(...results.map((r) => r.photo.length), 7);
  lines.push(`${'photo'.padEnd(width)}  ${'photo'.padEnd(width)}  score   cosine`);
  for (let i = 0; i < results.length; i++) {
    for (let j = i + 1; j < results.length; j++) {
      const s = score[i][j], c = cos[i][j];
      lines.push(`${results[i].photo.padEnd(width)}  ${results[j].photo.padEnd(width)}  ${s === null ? '  -  ' : s.toFixed(3)}  ${c === null ? '  -' : c.toFixed(3).padStart(6)}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
