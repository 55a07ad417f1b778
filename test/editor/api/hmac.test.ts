/** The editor's synchronous HMAC-SHA256 (URL signing) agrees with node:crypto on lengths around the block boundaries. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { hexBytes, hmacSha256Hex, sha256 } from '../../../editor/src/api/hmac.ts';

test('sha256 and hmacSha256Hex match node:crypto', () => {
  for (const n of [0, 1, 55, 56, 63, 64, 65, 119, 120, 200, 1000]) {
    const data = randomBytes(n);
    assert.equal(Buffer.from(sha256(data)).toString('hex'), createHash('sha256').update(data).digest('hex'), `sha256 of ${n} bytes`);
  }
  for (const keyLength of [16, 32, 64, 65, 100]) {
    const key = randomBytes(keyLength);
    const message = `artifact:${randomBytes(32).toString('hex')}\n${1_800_000_000 + keyLength} ünïcode`;
    assert.equal(hmacSha256Hex(key, message), createHmac('sha256', key).update(message).digest('hex'), `key of ${keyLength} bytes`);
  }
  assert.deepEqual([...hexBytes('00ff10')], [0, 255, 16]);
});
