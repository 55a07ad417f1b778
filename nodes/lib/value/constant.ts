/**
 * The constant nodes (`value.*`) are one shape: an inline `value` input echoed on a `value` output,
 * so a graph can set a parameter once and wire it to many nodes. The value is re-checked at run time
 * because a wire from an `any` output can carry something the validator could not see.
 */
import { describe } from '../../../runtime/graph/values.ts';
import { defineNode, NodeError, type InputSpec, type NodeDefinition } from '../../../runtime/graph/node-definition.ts';
import type { PortType } from '../../../runtime/graph/port-types.ts';

export interface ConstantOptions {
  type: string;
  title: string;
  description: string;
  docs: string;
  valueType: PortType;
  input: Omit<InputSpec, 'type'>;
  /** Says what was expected when the value is wrong; undefined when it is fine. */
  check(value: unknown): string | undefined;
}

export function constantNode(opts: ConstantOptions): NodeDefinition {
  return defineNode({
    type: opts.type,
    version: 1,
    title: opts.title,
    category: 'values',
    description: opts.description,
    docs: opts.docs,
    inputs: { value: { type: opts.valueType, ...opts.input } },
    outputs: { value: { type: opts.valueType, description: 'The value, unchanged.' } },
    run(_ctx, inputs) {
      const problem = opts.check(inputs.value);
      if (problem) throw new NodeError(`inputs.value: expected ${problem}, got ${describe(inputs.value)}`);
      return { value: inputs.value };
    },
  });
}

