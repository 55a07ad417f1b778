/** The graph model's public API: documents, port types, node definitions, loading and validation. */
export {
  GRAPH_FORMAT,
  GRAPH_VERSION,
  NODE_ID_PATTERN,
  PORT_NAME_PATTERN,
  GraphDocument,
  emptyDocument,
  formatPath,
  type GraphNode,
  type Edge,
  type PortRef,
  type GraphInput,
  type GraphOutput,
} from './document.ts';
export { compatible, isPortType, isPrimitive, listItemType, listOf, widenValue, type Compatibility, type PortType } from './port-types.ts';
export {
  defineNode,
  isArtifactRef,
  portsOf,
  NodeError,
  TransientError,
  type ArtifactRef,
  type InputSpec,
  type OutputSpec,
  type NodeDefinition,
  type NodeMigration,
  type NodePorts,
  type RunContext,
} from './node-definition.ts';
export { NodeRegistry } from './registry.ts';
export { loadDocument, MAX_BODY_DEPTH, type LoadResult, type LoadOptions } from './load.ts';
export { parseDocument, type ParseResult } from './parse.ts';
export { validateGraph, type ValidationIssue, type IssueCode } from './validate.ts';
export { DOCUMENT_MIGRATIONS, migrateDocument, migrateNodes, type DocumentMigration } from './migrate.ts';
export { canConnect, type ConnectRefusal, type ConnectResult } from './connect.ts';
export { bodyPorts, hasDynamicPorts, nodePorts, outputType, LOOP_DONE_OUTPUT, LOOP_ITERATION_INPUT, LOOP_MAX_ITERATIONS } from './body-ports.ts';
