/** Node definitions as JSON for the editor and API clients: ports, constraints and docs, never functions. */
import type { z } from 'zod';
import type { NodeDefinition } from '../graph/node-definition.ts';
import type { NodeRegistry } from '../graph/registry.ts';
import { hasDynamicPorts } from '../graph/body-ports.ts';
import type { NodeTypeInfo } from './schemas.ts';

export type NodeTypeJson = z.output<typeof NodeTypeInfo>;

/** Drops functions and undefined fields, keeping only JSON values (defaults are data by contract, but a plugin may break it). */
function jsonSafe<T>(v: T): T {
  return JSON.parse(JSON.stringify(v, (_k, x: unknown) => (typeof x === 'function' || typeof x === 'bigint' ? undefined : x))) as T;
}

export function describeNodeType(def: NodeDefinition): NodeTypeJson {
  return jsonSafe({
    type: def.type,
    version: def.version,
    title: def.title,
    category: def.category,
    description: def.description,
    docs: def.docs,
    inputs: def.inputs as NodeTypeJson['inputs'],
    outputs: def.outputs,
    resource: def.resource,
    cache: typeof def.cache === 'string' ? def.cache : 'fingerprint',
    retry: def.retry,
    control: def.control,
    dynamicPorts: hasDynamicPorts(def),
    migrations: def.migrations.map((m) => ({ from: m.from, description: m.description })),
  });
}

export function describeRegistry(registry: NodeRegistry): NodeTypeJson[] {
  return registry.list().map(describeNodeType);
}
