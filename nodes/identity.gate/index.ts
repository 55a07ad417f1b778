/**
 * identity.gate, the IDR gate: does each image still show the identity's person? Scores every image in 0..1,
 * routes passing images to `pass` and the rest to `fail`. An output with no images is left empty, so the engine
 * skips whatever hangs off it.
 */
import { defineNode, NodeError } from '../../runtime/graph/node-definition.ts';
import { cosine, cosineForScore, idrScore } from '../../runtime/face/similarity.ts';
import { analyzeArtifact, analyzerFor } from '../lib/face/models.ts';
import { listOfImages } from '../lib/face/image-io.ts';
import { embedderFamily, parseIdentity, round } from '../lib/face/identity.ts';
import { mapPool } from '../lib/face/pool.ts';

export default defineNode({
  type: 'identity.gate',
  version: 1,
  title: 'IDR gate',
  category: 'identity',
  description: 'Scores how well each image keeps the identity (IDR score 0..1) and lets through those at or above the threshold.',
  inputs: {
    images: { type: 'list<image>', description: 'Images to check (generated or edited).' },
    identity: { type: 'identity', description: 'From identity.profile; its detector and embedder are used.' },
    threshold: { type: 'float', default: 0.5, min: 0, max: 1, step: 0.01, widget: 'slider', description: 'Minimum IDR score to pass. 0.5 = cosine 0.45 for MobileFaceNet (see the README for the calibration).' },
    multiFace: { type: 'enum', values: ['fail', 'largest'], default: 'fail', description: 'Images with several dominant faces: fail them ("2 faces"), or score the largest face.' },
  },
  outputs: {
    pass: { type: 'list<image>', description: 'Images scoring at or above the threshold; empty (consumers skipped) when none.' },
    fail: { type: 'list<image>', description: 'The other images; empty when none.' },
    scores: { type: 'list<float>', description: 'IDR score per input image, in input order (0 when no face could be scored).' },
    report: { type: 'report', description: 'Per image: score, cosine, face box, pass/fail and the reason.' },
  },
  resource: 'cpu',
  async run(ctx, inputs) {
    const images = listOfImages(inputs.images, 'inputs.images');
    const identity = parseIdentity(inputs.identity, 'inputs.identity');
    const threshold = inputs.threshold ?? 0.5;
    if (typeof threshold !== 'number' || !(threshold >= 0 && threshold <= 1)) throw new NodeError(`inputs.threshold: expected a number in 0..1, got ${JSON.stringify(inputs.threshold)}`);
    const multiFace = inputs.multiFace ?? 'fail';
    if (multiFace !== 'fail' && multiFace !== 'largest') throw new NodeError(`inputs.multiFace: expected fail or largest, got ${JSON.stringify(multiFace)}`);
    const analyzer = await analyzerFor(ctx, identity.detector, identity.embedder);
    const family = embedderFamily(identity.embedder);
    let done = 0;
    const rows = await mapPool(images, analyzer.inFlight, async (ref, i) => {
      const r = await analyzeArtifact(ctx, analyzer, ref, `inputs.images[${i}]`, { multiFace });
      ctx.progress(++done / images.length);
      const base = { name: ref.name ?? ref.$artifact, image: ref, faces: r.faces.length, faceBox: r.face?.box.map(Math.round) };
      if (!r.embedding) return { ...base, score: 0, passed: false, reason: r.reason };
      const cos = cosine(r.embedding, identity.centre);
      const score = idrScore(cos, family);
      const passed = score >= threshold;
      return { ...base, score: round(score), cosine: round(cos), passed, reason: passed ? undefined : `IDR score ${round(score, 3)} is under ${threshold}` };
    });
    const pass = rows.filter((r) => r.passed).map((r) => r.image);
    const fail = rows.filter((r) => !r.passed).map((r) => r.image);
    return {
      pass: pass.length > 0 ? pass : undefined,
      fail: fail.length > 0 ? fail : undefined,
      scores: rows.map((r) => r.score),
      report: {
        kind: 'castgraph.report',
        title: 'IDR gate',
        summary: { images: rows.length, passed: pass.length, failed: fail.length, threshold, thresholdCosine: round(cosineForScore(threshold, family), 3) },
        items: rows.map(({ passed, ...r }) => ({ ...r, status: passed ? 'pass' : 'fail' })),
      },
    };
  },
});
