/**
 * Adapts an onnxruntime InferenceSession (node or web: both implement onnxruntime-common) to ModelSession.
 */
import type { FloatTensor, ModelSession } from './types.ts';

interface OrtTensorLike {
  data: unknown;
  dims: readonly number[];
}
interface OrtSessionLike {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  run(feeds: Record<string, never>): Promise<Record<string, OrtTensorLike>>;
}
type OrtTensorCtor = new (type: 'float32', data: Float32Array, dims: readonly number[]) => unknown;

export function wrapOrtSession(session: OrtSessionLike, Tensor: OrtTensorCtor): ModelSession {
  return {
    inputNames: session.inputNames,
    outputNames: session.outputNames,
    async run(feeds: Record<string, FloatTensor>) {
      const ortFeeds: Record<string, unknown> = {};
      for (const [name, t] of Object.entries(feeds)) ortFeeds[name] = new Tensor('float32', t.data, t.dims);
      const out = await session.run(ortFeeds as Record<string, never>);
      const result: Record<string, { data: ArrayLike<number>; dims: readonly number[] }> = {};
      for (const [name, t] of Object.entries(out)) result[name] = { data: t.data as ArrayLike<number>, dims: t.dims };
      return result;
    },
  };
}
