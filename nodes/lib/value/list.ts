/** Run-time checks shared by the list nodes; messages name the input the way validation errors do. */
import { NodeError } from '../../../runtime/graph/node-definition.ts';
import { describe } from '../../../runtime/graph/values.ts';

export function requireList(value: unknown, input: string): unknown[] {
  if (!Array.isArray(value)) throw new NodeError(`inputs.${input}: expected a list, got ${describe(value)}`);
  return value;
}

export function requireInt(value: unknown, input: string): number {
  if (!Number.isSafeInteger(value)) throw new NodeError(`inputs.${input}: expected a whole number, got ${describe(value)}`);
  return value as number;
}
