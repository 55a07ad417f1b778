import { test } from 'node:test';
import assert from 'node:assert/strict';
import { canonicalJson, NotSerializableError } from '../../../runtime/engine/canonical.ts';

test('keys are sorted at every depth, undefined members dropped, -0 is 0', () => {
  assert.equal(canonicalJson({ b: 1, a: { d: [1, undefined, 'x'], c: -0 }, u: undefined }), '{"a":{"c":0,"d":[1,null,"x"]},"b":1}');
  assert.equal(canonicalJson({ a: 1, b: 2 }), canonicalJson({ b: 2, a: 1 }));
});

test('values JSON cannot carry are refused with the path of the offending part', () => {
  const cases: Array<[unknown, RegExp]> = [
    [{ a: [1, { b: NaN }] }, /^a\[1\]\.b is NaN/],
    [{ f: () => 1 }, /^f is a function/],
    [{ bin: new Uint8Array(2) }, /^bin is binary data/],
    [{ n: 10n }, /^n is a bigint/],
  ];
  for (const [value, message] of cases) assert.throws(() => canonicalJson(value), (err: Error) => err instanceof NotSerializableError && message.test(err.message));
  const cyclic: Record<string, unknown> = {};
  cyclic.self = cyclic;
  assert.throws(() => canonicalJson(cyclic), /cyclic/);
});
