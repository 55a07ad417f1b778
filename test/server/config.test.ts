/** Server configuration: defaults, JSON file, environment overrides, and errors that name the field. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, DEFAULT_PORT, isLoopback, loadConfig } from '../../server/config.ts';
import { tempDir } from '../support/server.ts';

describe('server configuration', () => {
  it('defaults to loopback, port 5177 and the CLI data folder', () => {
    const c = loadConfig({}, '/srv/work');
    assert.equal(c.host, '127.0.0.1');
    assert.equal(c.port, DEFAULT_PORT);
    assert.equal(DEFAULT_PORT, 5177);
    assert.equal(c.dataDir, '/srv/work/.castgraph');
    assert.equal(c.token, undefined);
    assert.deepEqual(c.corsOrigins, []);
    assert.deepEqual(c.secrets, {});
  });

  it('reads a JSON file and lets environment variables override it', () => {
    const dir = tempDir();
    const file = join(dir, 'castgraph.json');
    writeFileSync(file, JSON.stringify({ port: 8080, runConcurrency: 3, corsOrigins: ['https://a.example'], secrets: { REPLICATE_API_TOKEN: 'r8-file' }, dataDir: 'data' }));
    const c = loadConfig(
      { CASTGRAPH_CONFIG: file, CASTGRAPH_PORT: '9090', CASTGRAPH_CORS_ORIGINS: 'https://b.example, https://c.example', CASTGRAPH_SECRET_OPENAI_API_KEY: 'sk-env', CASTGRAPH_EDITOR: 'off' },
      dir,
    );
    assert.equal(c.port, 9090);
    assert.equal(c.runConcurrency, 3);
    assert.deepEqual(c.corsOrigins, ['https://b.example', 'https://c.example']);
    assert.deepEqual(c.secrets, { REPLICATE_API_TOKEN: 'r8-file', OPENAI_API_KEY: 'sk-env' });
    assert.equal(c.dataDir, join(dir, 'data'));
    assert.equal(c.editor, false);
    assert.equal(loadConfig({ CASTGRAPH_DATA: '/var/castgraph' }, dir).dataDir, '/var/castgraph');
  });

  it('names the field at fault', () => {
    const dir = tempDir();
    const file = join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify({ port: 70000, runConcurrency: 'many', colour: 'blue' }));
    assert.throws(
      () => loadConfig({ CASTGRAPH_CONFIG: file }, dir),
      (e: Error) => e instanceof ConfigError && /port: /.test(e.message) && /runConcurrency: /.test(e.message) && /colour/.test(e.message),
    );
    assert.throws(() => loadConfig({ CASTGRAPH_PORT: 'eighty' }, dir), /port: /);
    assert.throws(() => loadConfig({ CASTGRAPH_CORS_ORIGINS: 'not a url' }, dir), /corsOrigins\[0\]/);
    assert.throws(() => loadConfig({ CASTGRAPH_SECRET_SHORT: 'abc12' }, dir), /secrets\.SHORT: a secret of at least 6 characters/);
    assert.throws(() => loadConfig({ CASTGRAPH_WEBHOOK_ALLOW_PRIVATE: 'maybe' }, dir), /webhookAllowPrivate: /);
    assert.equal(loadConfig({ CASTGRAPH_WEBHOOK_ALLOW_PRIVATE: '1' }, dir).webhookAllowPrivate, true);
    writeFileSync(file, '{ nope');
    assert.throws(() => loadConfig({ CASTGRAPH_CONFIG: file }, dir), /not valid JSON/);
    assert.throws(() => loadConfig({ CASTGRAPH_CONFIG: join(dir, 'missing.json') }, dir), /cannot read the config file/);
  });

  it('requires a token of 16+ characters when bound off loopback', () => {
    assert.throws(() => loadConfig({ CASTGRAPH_HOST: '0.0.0.0' }, '/x'), /token is required/);
    assert.throws(() => loadConfig({ CASTGRAPH_HOST: '0.0.0.0', CASTGRAPH_TOKEN: 'short' }, '/x'), /token: a token of at least 16/);
    assert.equal(loadConfig({ CASTGRAPH_HOST: '0.0.0.0', CASTGRAPH_TOKEN: 'x'.repeat(16) }, '/x').host, '0.0.0.0');
    assert.deepEqual(['127.0.0.1', '127.1.2.3', '::1', 'localhost', '0.0.0.0', '192.168.1.4', '::'].map(isLoopback), [true, true, true, true, false, false, false]);
  });
});
