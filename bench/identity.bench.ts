/**
 * Faces per second through identity.gate (decode, detect, align, embed, score, on a real artifact store) beside
 * raw onnxruntime-node session.run calls on the very tensors the gate feeds its models (the letterboxed detector
 * input and the aligned 112x112 face), measured in the same run, best of 3 alternating trials (the build machine
 * is shared). The raw loop runs the models one call at a time, as a plain script would. Needs the face fixtures.
 * CPU time per face (process user+system, all threads, summed over the trials) is printed for both: the raw
 * loop's two intra-op threads speed it up by anything from nothing to 1.6x depending on how the host schedules
 * this VM's cores, which swings the wall-time baseline far more than the work either side does.
 */
import * as ort from 'onnxruntime-node';
import type { Report } from './run.ts';
import { cpuMs } from './cpu.ts';
import gate from '../nodes/identity.gate/index.ts';
import profile from '../nodes/identity.profile/index.ts';
import { alignFace } from '../runtime/face/align.ts';
import { EMBEDDER_NORMALISATION } from '../runtime/face/embedders.ts';
import { letterbox, toTensor } from '../runtime/face/image.ts';
import { decodeImage, loadAnalyzer } from '../runtime/face/node.ts';
import { ModelManager } from '../runtime/models/manager.ts';
import { makeNodeContext } from '../test/support/node-context.ts';
import { FACE_MODELS, fixturesMissing } from '../test/support/fixtures.ts';
import { putFixture } from '../test/support/face-images.ts';

const PHOTOS = ['obama_knn_test1.jpg', 'biden.jpg', 'kit_harington_john1.jpeg', 'kit_harington_john2.jpeg', 'rose_leslie_img1.jpg', 'alex_lacamoire1.jpg', 'obama_small.jpg', 'obama2.jpg'];
const ROUNDS = 4;

export default async function identityBench(report: Report): Promise<void> {
  const missing = fixturesMissing();
  if (missing) return void console.error(`# identity bench skipped: ${missing}`);
  const t = makeNodeContext({ config: { modelsDir: FACE_MODELS } });
  try {
    const manager = new ModelManager(FACE_MODELS);
    const refs = await Promise.all(PHOTOS.map((p) => putFixture(t.store, p)));
    const { identity } = (await profile.run(t.ctx, { images: [await putFixture(t.store, 'obama.jpg')] })) as { identity: unknown };
    const images = Array.from({ length: ROUNDS }, () => refs).flat();

    // The exact tensors the gate's models see, prepared outside the timed loop.
    const analyzer = await loadAnalyzer({ manager });
    const tensors = await Promise.all(
      PHOTOS.map(async (p, i) => {
        const img = await decodeImage(t.store.path(refs[i]));
        const [face] = await analyzer.detect(img);
        const det = letterbox(img, 640, { order: 'bgr', mean: [0, 0, 0], std: [1, 1, 1] }).tensor;
        const emb = toTensor(alignFace(img, face.landmarks), EMBEDDER_NORMALISATION.mobilefacenet);
        return { det: new ort.Tensor('float32', det.data, det.dims), emb: new ort.Tensor('float32', emb.data, emb.dims) };
      }),
    );
    const opts = { logSeverityLevel: 3 as const, graphOptimizationLevel: 'all' as const };
    const detSession = await ort.InferenceSession.create(await manager.resolve('yunet'), opts);
    const embSession = await ort.InferenceSession.create(await manager.resolve('mobilefacenet'), opts);

    const cpu = { gate: 0, raw: 0 };
    const viaGate = async () => {
      const g0 = performance.now();
      const c0 = process.cpuUsage();
      const out = (await gate.run(t.ctx, { images, identity })) as { scores: number[] };
      cpu.gate += cpuMs(c0);
      const faces = out.scores.filter((s) => s > 0).length;
      if (faces !== images.length) throw new Error(`the gate scored ${faces} of ${images.length} faces`);
      return (performance.now() - g0) / 1000;
    };
    const raw = async (withDetector: boolean) => {
      const t0 = performance.now();
      const c0 = process.cpuUsage();
      for (let r = 0; r < ROUNDS; r++) {
        for (const x of tensors) {
          if (withDetector) await detSession.run({ [detSession.inputNames[0]]: x.det });
          await embSession.run({ [embSession.inputNames[0]]: x.emb });
        }
      }
      if (withDetector) cpu.raw += cpuMs(c0);
      return (performance.now() - t0) / 1000;
    };
    // Trials alternate between the two paths so both see the same machine load; the best trial of each counts.
    await viaGate();
    await raw(true);
    cpu.gate = cpu.raw = 0;
    let gateS = Infinity, rawBoth = Infinity, rawEmb = Infinity;
    for (let trial = 0; trial < 3; trial++) {
      gateS = Math.min(gateS, await viaGate());
      rawBoth = Math.min(rawBoth, await raw(true));
      rawEmb = Math.min(rawEmb, await raw(false));
    }
    const gateRate = images.length / gateS;
    report('identity.gate', gateRate, 'faces/s', 'identity.gate node: decode, detect, align, embed, score');
    report('identity.raw_detector_embedder', images.length / rawBoth, 'faces/s', 'raw onnxruntime-node session.run of detector and embedder on the same tensors');
    report('identity.gate_ratio_vs_raw_detector_embedder', gateRate / (images.length / rawBoth), 'x');
    report('identity.raw_embedder_only', images.length / rawEmb, 'faces/s', 'raw embedder session.run on aligned tensors only');
    report('identity.gate_ratio_vs_raw_embedder_only', gateRate / (images.length / rawEmb), 'x');
    report('identity.cpu_per_face_gate', cpu.gate / 3 / images.length, 'ms', 'CPU time, all threads');
    report('identity.cpu_per_face_raw_detector_embedder', cpu.raw / 3 / images.length, 'ms', 'CPU time, all threads (ORT default: one intra-op thread per core)');
    report('identity.cpu_ratio_vs_raw_detector_embedder', cpu.raw / cpu.gate, 'x', 'the ratio both cores fully busy on both sides would give');
  } finally {
    t.cleanup();
  }
}
