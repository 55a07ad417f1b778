/**
 * Inline values: what a user may type into an unconnected input. Primitives must have their
 * JSON type and respect min/max/enum; media inputs take only artifact references; other domain
 * types (dataset, lora, identity…) only ever arrive on wires; `json` and `any` take any JSON.
 */
import type { InputSpec } from './node-definition.ts';
import { listItemType } from './port-types.ts';
import type { IssueCode } from './validate.ts';

/** A problem with an inline value; the caller names the input, `at` locates list items (`[2]`). */
export interface ValueProblem {
  at: string;
  code: IssueCode;
  /** The predicate of the sentence: "must be at most 1, got 3." */
  text: string;
}

const SHA256_HEX = /^[0-9a-f]{64}$/;
const MEDIA_MIME: Record<string, string> = { image: 'image/', video: 'video/', audio: 'audio/' };

/** Problems with `value` as an inline value of an input typed `type`, appended to `out`. */
export function checkValue(value: unknown, type: string, spec: InputSpec, out: ValueProblem[], at = ''): void {
  const item = listItemType(type);
  if (item !== undefined) {
    if (!Array.isArray(value)) out.push({ at, code: 'wrong_type', text: `must be a list (\`${type}\`), got ${describe(value)}.` });
    else for (let i = 0; i < value.length; i++) checkValue(value[i], item, spec, out, `${at}[${i}]`);
    return;
  }
  // Problems are pushed directly (no closure per call): validation checks every inline value before each run.
  switch (type) {
    case 'text':
      if (typeof value !== 'string') out.push({ at, code: 'wrong_type', text: `must be text (a string), got ${describe(value)}.` });
      return;
    case 'bool':
      if (typeof value !== 'boolean') out.push({ at, code: 'wrong_type', text: `must be true or false, got ${describe(value)}.` });
      return;
    case 'int':
    case 'float':
    case 'seed':
      return checkNumber(value, type, spec, out, at);
    case 'enum':
      if (typeof value !== 'string' || !spec.values?.includes(value)) {
        out.push({ at, code: 'not_in_enum', text: `must be one of ${(spec.values ?? []).map((v) => `\`${v}\``).join(', ')}; got ${describe(value)}.` });
      }
      return;
    case 'image':
    case 'video':
    case 'audio':
      return checkArtifact(value, type, out, at);
    case 'json':
    case 'any':
      return;
    default:
      out.push({ at, code: 'not_inline', text: `has type \`${type}\`, which cannot be set inline: connect a node that produces it.` });
  }
}

function checkNumber(value: unknown, type: 'int' | 'float' | 'seed', spec: InputSpec, out: ValueProblem[], at: string): void {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    out.push({ at, code: 'wrong_type', text: `must be ${type === 'float' ? 'a number' : 'an integer'}, got ${describe(value)}.` });
    return;
  }
  if (type !== 'float' && !Number.isInteger(value)) {
    out.push({ at, code: 'not_integer', text: `must be an integer, got ${value}.` });
    return;
  }
  if (type === 'seed') {
    // -1 asks the engine for a random seed, recorded with the run.
    if (value < -1) out.push({ at, code: 'out_of_range', text: `must be -1 (random) or a seed >= 0, got ${value}.` });
    if (value === -1) return;
  }
  if (spec.min !== undefined && value < spec.min) out.push({ at, code: 'out_of_range', text: `must be at least ${spec.min}, got ${value}.` });
  if (spec.max !== undefined && value > spec.max) out.push({ at, code: 'out_of_range', text: `must be at most ${spec.max}, got ${value}.` });
}

function checkArtifact(value: unknown, type: string, out: ValueProblem[], at: string): void {
  const ref = value as { $artifact?: unknown; mime?: unknown; size?: unknown } | null;
  const shaped =
    typeof ref === 'object' && ref !== null && !Array.isArray(ref) &&
    typeof ref.$artifact === 'string' && SHA256_HEX.test(ref.$artifact) &&
    typeof ref.mime === 'string' && typeof ref.size === 'number' && Number.isInteger(ref.size) && ref.size >= 0;
  if (!shaped) {
    out.push({ at, code: 'not_inline', text: `has type \`${type}\`: set it by connecting a node or with an artifact reference {"$artifact": "<sha256 hex>", "mime", "size"}; got ${describe(value)}.` });
  } else if (!(ref.mime as string).startsWith(MEDIA_MIME[type]!)) {
    out.push({ at, code: 'wrong_type', text: `needs ${type === 'image' ? 'an' : 'a'} ${type} artifact, got one of type \`${ref.mime as string}\`.` });
  }
}

/** A short description of a value for messages: `text "abc"`, `number 2.5`, `a list`. */
export function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  switch (typeof value) {
    case 'string':
      return `text ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
    case 'number':
    case 'boolean':
      return `${typeof value} ${String(value)}`;
    case 'object':
      return 'an object';
    default:
      return typeof value;
  }
}

export function cap(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** A key as a JSON path step: `.name`, or `["odd key"]` when it is not a plain identifier. */
export function pathKey(key: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
}
