/** `castgraph models list|pull|add`: the face models in the models directory. */
import { resolve } from 'node:path';
import { MODELS } from '../../models/catalog.ts';
import { defaultModelsDir, ModelError, ModelManager } from '../../models/manager.ts';
import { defineCommand, EXIT, UsageError } from '../command.ts';

export default defineCommand({
  name: 'models',
  summary: 'list, download (pull) or register (add) the face models',
  usage: [
    'usage: castgraph models list [--json]',
    '       castgraph models pull <id> [--url <mirror>]',
    '       castgraph models add <id> <file>',
    '',
    'The models directory is $CASTGRAPH_MODELS_DIR (default ~/.castgraph/models).',
    'pull downloads from the official URL (or --url), extracts the file from its archive when needed, and installs it',
    'only if its sha256 matches; add does the same for a file you already have. Files are written under a temporary',
    `name and renamed, so a failed pull leaves nothing behind. Known ids: ${MODELS.map((m) => m.id).join(', ')}.`,
  ].join('\n'),
  options: { json: { type: 'boolean' }, url: { type: 'string' } },
  async run({ values, positionals }, io) {
    const [sub, id, file] = positionals;
    const manager = new ModelManager(defaultModelsDir(io.env));
    try {
      if (sub === 'list') {
        const list = await manager.list();
        if (values.json) {
          const rows = list.map((s) => ({ ...s.entry, state: s.state, path: s.path }));
          io.stdout.write(`${JSON.stringify({ dir: manager.dir, models: rows }, null, 2)}\n`);
          return EXIT.ok;
        }
        io.stdout.write(`models directory: ${manager.dir}\n\n`);
        for (const s of list) {
          const e = s.entry;
          io.stdout.write(`${e.id.padEnd(14)} ${s.state.padEnd(9)} ${e.role.padEnd(9)} ${(e.size / 1e6).toFixed(1).padStart(6)} MB  ${e.licence}${e.commercial ? '' : '  [NON-COMMERCIAL]'}\n`);
          if (e.notes) io.stdout.write(`${' '.repeat(15)}note: ${e.notes}\n`);
        }
        return EXIT.ok;
      }
      if (sub === 'pull') {
        if (!id) throw new UsageError('pull needs a model id');
        let last = 0;
        const path = await manager.pull(id, {
          url: values.url as string | undefined,
          onProgress: (n) => {
            if (n - last >= 8 << 20) {
              last = n;
              io.stderr.write(`  ${(n / 1e6).toFixed(0)} MB\n`);
            }
          },
        });
        io.stdout.write(`installed ${id} at ${path} (sha256 verified)\n`);
        return EXIT.ok;
      }
      if (sub === 'add') {
        if (!id || !file) throw new UsageError('add needs a model id and a file');
        io.stdout.write(`installed ${id} at ${await manager.add(id, resolve(io.cwd, file))} (sha256 verified)\n`);
        return EXIT.ok;
      }
      throw new UsageError(sub ? `unknown sub-command "${sub}"` : 'missing sub-command: list, pull or add');
    } catch (err) {
      if (err instanceof ModelError || (err instanceof Error && /unknown model/.test(err.message))) {
        io.stderr.write(`castgraph models: ${err.message}\n`);
        return EXIT.usage;
      }
      throw err;
    }
  },
});
