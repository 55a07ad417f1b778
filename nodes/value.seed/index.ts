import { constantNode } from '../lib/value/constant.ts';

export default constantNode({
  type: 'value.seed',
  title: 'Seed',
  description: 'A random seed shared by several nodes; -1 picks a new random seed on every run.',
  docs: [
    'With `-1` the engine draws a random seed once per run, before this node runs, and records it in the run',
    "result's `seeds`, so the run can be replayed exactly (`castgraph run --seed node.value=N`).",
    'Any other value is used as is.',
  ].join('\n'),
  valueType: 'seed',
  input: { default: -1, min: -1, max: Number.MAX_SAFE_INTEGER, step: 1, description: 'The seed, or -1 for a random one each run.' },
  // -1 never reaches run: the engine replaces it first, so a -1 here means no seed was resolved.
  check: (v) => (Number.isSafeInteger(v) && (v as number) >= 0 ? undefined : 'a seed >= 0 (the engine resolves -1 to a random seed before the node runs)'),
});
