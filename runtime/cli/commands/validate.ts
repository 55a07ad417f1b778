import { loadDocument } from '../../graph/index.ts';
import { loadRegistry } from '../../node-loader.ts';
import { defineCommand, EXIT } from '../command.ts';
import { readGraphFile } from '../graph-file.ts';

export default defineCommand({
  name: 'validate',
  summary: 'check a graph file and print every problem with its JSON path',
  usage: [
    'usage: castgraph validate <graph.json> [--json]',
    '',
    'Prints each problem as `path: message` (all of them at once) and exits 1, or prints "valid" and exits 0.',
    '  --json   print {"valid", "errors", "changes"} as JSON instead',
  ].join('\n'),
  options: { json: { type: 'boolean' } },
  async run({ values, positionals }, io) {
    const file = positionals[0];
    const text = await readGraphFile(file, io.cwd);
    const { errors, changes } = loadDocument(text, await loadRegistry());
    if (values.json) {
      io.stdout.write(`${JSON.stringify({ valid: errors.length === 0, errors, changes })}\n`);
    } else {
      for (const change of changes) io.stderr.write(`note: ${change}\n`);
      for (const issue of errors) io.stdout.write(`${issue.path}: ${issue.message}\n`);
      io.stdout.write(errors.length === 0 ? `${file}: valid\n` : `${file}: ${errors.length} error${errors.length === 1 ? '' : 's'}\n`);
    }
    return errors.length === 0 ? EXIT.ok : EXIT.invalid;
  },
});
