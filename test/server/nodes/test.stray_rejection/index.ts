/** Test-only node: leaves a rejected promise nobody handles (a buggy plugin), to prove the server survives it. */
import { defineNode } from '../../../../runtime/graph/node-definition.ts';

export default defineNode({
  type: 'test.stray_rejection',
  version: 1,
  title: 'Stray rejection',
  category: 'test',
  description: 'Returns normally but leaves an unhandled promise rejection behind.',
  cache: 'volatile',
  inputs: {},
  outputs: { ok: { type: 'bool' } },
  run() {
    void Promise.reject(new Error('a stray rejection from a buggy node'));
    return { ok: true };
  },
});
