/**
 * identity.profile: reference photos in, an `identity` out — one embedding per photo, a robust centre, and the
 * photos that do not fit (no face, several faces, a different person) rejected and reported.
 */
import { defineNode, NodeError } from '../../runtime/graph/node-definition.ts';
import { cosineForScore, idrScore } from '../../runtime/face/similarity.ts';
import { analyzeArtifact, analyzerFor, DETECTOR_INPUT, EMBEDDER_INPUT } from '../lib/face/models.ts';
import { listOfImages } from '../lib/face/image-io.ts';
import { embedderFamily, robustCentre, round, type Identity } from '../lib/face/identity.ts';
import { mapPool } from '../lib/face/pool.ts';
import type { DetectorId, EmbedderId } from '../../runtime/models/catalog.ts';

export default defineNode({
  type: 'identity.profile',
  version: 1,
  title: 'Identity profile',
  category: 'identity',
  description: 'Builds an identity from reference photos of one person: per-photo face embeddings around a robust centre; outliers are rejected and reported.',
  inputs: {
    images: { type: 'list<image>', description: 'Reference photos of the person (or a dataset’s images).' },
    detector: DETECTOR_INPUT,
    embedder: EMBEDDER_INPUT,
    multiFace: { type: 'enum', values: ['fail', 'largest'], default: 'fail', description: 'Photos with several dominant faces: reject them, or use the largest face.' },
    outlierScore: { type: 'float', default: 0.5, min: 0, max: 1, description: 'A photo whose IDR score against the centre is below this is rejected as an outlier.' },
  },
  outputs: {
    identity: { type: 'identity' },
    report: { type: 'report', description: 'Per photo: used or rejected, the reason, the IDR score against the centre.' },
  },
  resource: 'cpu',
  async run(ctx, inputs) {
    const refs = listOfImages(inputs.images, 'inputs.images');
    if (refs.length === 0) throw new NodeError('inputs.images: expected at least one reference photo');
    const detector = (inputs.detector ?? 'yunet') as DetectorId;
    const embedder = (inputs.embedder ?? 'mobilefacenet') as EmbedderId;
    const multiFace = inputs.multiFace ?? 'fail';
    if (multiFace !== 'fail' && multiFace !== 'largest') throw new NodeError(`inputs.multiFace: expected fail or largest, got ${JSON.stringify(multiFace)}`);
    const outlierScore = inputs.outlierScore ?? 0.5;
    if (typeof outlierScore !== 'number' || outlierScore < 0 || outlierScore >= 1) throw new NodeError('inputs.outlierScore: expected a number in 0..1 (exclusive of 1)');
    const analyzer = await analyzerFor(ctx, detector, embedder);
    const family = embedderFamily(embedder);

    let done = 0;
    const results = await mapPool(refs, analyzer.inFlight, async (ref, i) => {
      const r = await analyzeArtifact(ctx, analyzer, ref, `inputs.images[${i}]`, { multiFace });
      ctx.progress(++done / refs.length);
      return { source: ref.name ?? ref.$artifact, image: ref, ...r };
    });
    const usable = results.filter((r) => r.embedding);
    if (usable.length === 0) {
      throw new NodeError(`inputs.images: no usable reference photo (${results.map((r) => `${r.source}: ${r.reason}`).join('; ')})`);
    }
    const minCosine = cosineForScore(Math.max(outlierScore, 1e-6), family);
    const { centre, cosines, outliers } = robustCentre(usable.map((r) => r.embedding!), minCosine);
    const identity: Identity = {
      kind: 'castgraph.identity',
      version: 1,
      detector,
      embedder,
      dim: centre.length,
      centre: Array.from(centre, (v) => round(v, 7)),
      references: usable.map((r, i) => ({ source: r.source, embedding: Array.from(r.embedding!, (v) => round(v, 7)), cosine: round(cosines[i]), outlier: outliers[i] })),
    };
    const used = identity.references.filter((r) => !r.outlier).length;
    if (used === 0) throw new NodeError('inputs.images: every reference photo was rejected as an outlier; are they all the same person?');
    const report = results.map((r) => {
      const k = usable.indexOf(r);
      if (k < 0) return { name: r.source, status: 'rejected', reason: r.reason, faces: r.faces.length, image: r.image };
      const score = round(idrScore(cosines[k], family));
      return outliers[k]
        ? { name: r.source, status: 'rejected', reason: `outlier: IDR score ${score} against the centre is under ${outlierScore}`, score, cosine: round(cosines[k]), faces: r.faces.length, faceBox: r.face!.box.map(Math.round), image: r.image }
        : { name: r.source, status: 'used', score, cosine: round(cosines[k]), faces: r.faces.length, faceBox: r.face!.box.map(Math.round), image: r.image };
    });
    return {
      identity,
      report: { kind: 'castgraph.report', title: 'Identity profile', summary: { photos: refs.length, used, rejected: refs.length - used }, items: report },
    };
  },
});
