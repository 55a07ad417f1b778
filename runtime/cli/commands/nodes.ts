import { loadRegistry } from '../../node-loader.ts';
import { defineCommand, EXIT } from '../command.ts';
// One serialiser for node types, shared with the server's GET /api/node-types.
import { describeNodeType } from '../../api/node-types.ts';
import { describeInput } from '../node-catalogue.ts';

export default defineCommand({
  name: 'nodes',
  summary: 'list every node type with its ports',
  usage: [
    'usage: castgraph nodes [family-or-type...] [--json]',
    '',
    'Lists node types with their inputs (type, default, range, choices) and outputs.',
    'Names filter the list: `castgraph nodes image` shows the image.* types.',
    '  --json   print the full catalogue (with descriptions and docs) as a JSON array',
  ].join('\n'),
  options: { json: { type: 'boolean' } },
  async run({ values, positionals }, io) {
    const all = (await loadRegistry()).list();
    const defs = positionals.length ? all.filter((d) => positionals.some((p) => d.type === p || d.type.startsWith(`${p}.`))) : all;
    if (values.json) {
      io.stdout.write(`${JSON.stringify(defs.map(describeNodeType), null, 2)}\n`);
      return EXIT.ok;
    }
    for (const def of defs) {
      const info = describeNodeType(def);
      const tags = [info.resource === 'gpu' ? 'gpu' : '', info.cache === 'deterministic' ? '' : info.cache, info.dynamicPorts ? 'dynamic ports' : ''].filter(Boolean);
      io.stdout.write(`${def.type} v${def.version}  ${def.title}${tags.length ? ` [${tags.join(', ')}]` : ''}\n  ${def.description}\n`);
      for (const [name, spec] of Object.entries(def.inputs)) io.stdout.write(`    in   ${describeInput(name, spec)}\n`);
      for (const [name, spec] of Object.entries(def.outputs)) io.stdout.write(`    out  ${name}: ${spec.type}\n`);
      io.stdout.write('\n');
    }
    io.stdout.write(`${defs.length} node type${defs.length === 1 ? '' : 's'}\n`);
    return EXIT.ok;
  },
});
