/**
 * The OpenAPI 3.1 document, generated from the zod schemas in schemas.ts (the same ones requests are
 * validated with). JSON Schema 2020-12 is OpenAPI 3.1's dialect, so `z.toJSONSchema` output is used as is,
 * with references pointed at `#/components/schemas`.
 */
import { z } from 'zod';
import * as S from '../runtime/api/schemas.ts';

type Schema = Record<string, unknown>;
const ref = (id: string): Schema => ({ $ref: `#/components/schemas/${id}` });
const json = (schema: Schema) => ({ content: { 'application/json': { schema } } });
const error = (description: string) => ({ description, ...json(ref('Error')) });
const ok = (description: string, schema?: Schema) => ({ description, ...(schema ? json(schema) : {}) });

const E400 = { '400': error('invalid request: malformed JSON, or a field fails validation (see `error.issues[].path`)') };
const E404 = { '404': error('no such resource') };
const E409 = { '409': error('conflicts with the current state') };
const E413 = { '413': error('body larger than the configured limit') };

/** Query and path parameters from a zod object schema. */
function params(schema: z.ZodObject, where: 'query' | 'path'): Schema[] {
  const js = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as { properties?: Record<string, Schema>; required?: string[] };
  return Object.entries(js.properties ?? {}).map(([name, s]) => ({
    name,
    in: where,
    required: where === 'path' || (js.required ?? []).includes(name),
    ...(typeof s.description === 'string' ? { description: s.description } : {}),
    schema: s,
    ...(where === 'query' && (s.anyOf || s.type === 'array') ? { style: 'form', explode: true } : {}),
  }));
}
const idPath = params(S.GraphIdParams, 'path');
const runPath = params(S.RunIdParams, 'path');
const hashPath = params(S.HashParams, 'path');
const revPath = params(S.RevisionParams, 'path');

/**
 * Component schemas. zod puts unnamed schemas used in several places under a `__shared` document's `$defs`;
 * OpenAPI wants every reusable schema in `components.schemas`, so those are hoisted (`Shared_<name>`) and
 * the references rewritten.
 */
function components(): Record<string, Schema> {
  const out = z.toJSONSchema(S.apiSchemas, {
    uri: (id) => `#/components/schemas/${id}`,
    io: 'input',
    unrepresentable: 'any',
    override: ({ zodSchema, jsonSchema }) => {
      if (zodSchema !== S.GraphArgument) return;
      for (const k of Object.keys(jsonSchema)) delete (jsonSchema as Schema)[k];
      Object.assign(jsonSchema, { $ref: '#/components/schemas/GraphDocument', description: 'an inline graph document, checked by the engine\'s loader' });
    },
  }) as { schemas: Record<string, Schema> };
  const schemas: Record<string, Schema> = {};
  for (const [id, s] of Object.entries(out.schemas)) {
    delete s.$schema;
    delete s.$id;
    if (id !== '__shared') schemas[id] = s;
    else for (const [name, def] of Object.entries((s.$defs ?? {}) as Record<string, Schema>)) schemas[`Shared_${name}`] = def;
  }
  return JSON.parse(JSON.stringify(schemas).replace(/#\/components\/schemas\/__shared#\/\$defs\/(\w+)/g, '#/components/schemas/Shared_$1')) as Record<string, Schema>;
}

export function buildOpenApi(version: string): Schema {
  const body = (id: string) => ({ required: true, ...json(ref(id)) });
  return {
    openapi: '3.1.0',
    info: {
      title: 'Castgraph API',
      version,
      description:
        'Graph library, durable runs, artifacts and live run events. Every error has the shape `{error: {code, message, issues: [{path, message}]}}`. ' +
        'Live events: WebSocket at `/api/events`; send `{"type":"subscribe","runId":"…","afterSeq":N}` or `{"type":"subscribe","all":true}`; messages are `RunEventMessage`.',
    },
    servers: [{ url: '/' }],
    security: [{ bearer: [] }],
    components: {
      schemas: components(),
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'required when the server is bound to a non-loopback address, or when a token is configured' } },
    },
    paths: {
      '/api/node-types': { get: { summary: 'Every node type', operationId: 'listNodeTypes', responses: { '200': ok('node types', ref('NodeTypeList')) } } },
      '/api/graphs': {
        get: { summary: 'List the graph library', operationId: 'listGraphs', parameters: params(S.GraphListQuery, 'query'), responses: { '200': ok('graphs', ref('GraphList')), ...E400 } },
        post: { summary: 'Add a graph', operationId: 'createGraph', requestBody: body('GraphCreate'), responses: { '201': ok('created (revision 1)', ref('GraphWithDocument')), ...E400, ...E409, ...E413 } },
      },
      '/api/graphs/import': {
        post: {
          summary: 'Import an exported graph document',
          operationId: 'importGraph',
          parameters: params(S.ImportQuery, 'query'),
          requestBody: body('GraphDocument'),
          responses: { '201': ok('imported', ref('GraphWithDocument')), ...E400, ...E409, ...E413 },
        },
      },
      '/api/graphs/{id}': {
        parameters: idPath,
        get: { summary: 'A graph, latest revision', operationId: 'getGraph', responses: { '200': ok('graph', ref('GraphWithDocument')), ...E404 } },
        put: { summary: 'Save a new revision', operationId: 'updateGraph', requestBody: body('GraphUpdate'), responses: { '200': ok('saved', ref('GraphWithDocument')), ...E400, ...E404, ...E409, ...E413 } },
        delete: { summary: 'Delete a graph and its revisions', operationId: 'deleteGraph', responses: { '204': ok('deleted'), ...E404 } },
      },
      '/api/graphs/{id}/export': {
        parameters: idPath,
        get: { summary: 'Download the document', operationId: 'exportGraph', responses: { '200': ok('the document, as an attachment', ref('GraphDocument')), ...E404 } },
      },
      '/api/graphs/{id}/revisions': {
        parameters: idPath,
        get: { summary: 'Revision history', operationId: 'listRevisions', responses: { '200': ok('revisions', ref('RevisionList')), ...E404 } },
      },
      '/api/graphs/{id}/revisions/{rev}': {
        parameters: revPath,
        get: { summary: 'One revision', operationId: 'getRevision', responses: { '200': ok('revision', ref('RevisionDocument')), ...E400, ...E404 } },
      },
      '/api/graphs/{id}/revisions/{rev}/restore': {
        parameters: revPath,
        post: { summary: 'Save an old revision as the newest', operationId: 'restoreRevision', responses: { '200': ok('restored', ref('GraphWithDocument')), ...E400, ...E404 } },
      },
      '/api/templates': { get: { summary: 'Templates from graphs/ (read-only)', operationId: 'listTemplates', responses: { '200': ok('templates', ref('TemplateList')) } } },
      '/api/templates/{id}': {
        parameters: idPath,
        get: { summary: 'A template document', operationId: 'getTemplate', responses: { '200': ok('document', ref('GraphDocument')), ...E404 } },
      },
      '/api/templates/{id}/copy': {
        parameters: idPath,
        post: {
          summary: 'Copy a template into the library',
          operationId: 'copyTemplate',
          requestBody: { required: false, ...json(ref('TemplateCopy')) },
          responses: { '201': ok('copied', ref('GraphWithDocument')), ...E400, ...E404, ...E409 },
        },
      },
      '/api/runs': {
        get: { summary: 'Run history', operationId: 'listRuns', parameters: params(S.RunListQuery, 'query'), responses: { '200': ok('runs, newest first', ref('RunList')), ...E400 } },
        post: {
          summary: 'Start a run',
          operationId: 'createRun',
          parameters: [{ name: 'Idempotency-Key', in: 'header', required: false, schema: { type: 'string', maxLength: 200 } }],
          requestBody: body('RunCreate'),
          responses: { '202': ok('queued (or, for a repeated idempotency key, the first run)', ref('RunAccepted')), ...E400, ...E404, ...E413, '429': error('queue full') },
        },
      },
      '/api/runs/{id}': {
        parameters: runPath,
        get: { summary: 'Run status, per-node states, timings, errors, outputs', operationId: 'getRun', responses: { '200': ok('run', ref('RunRecord')), ...E404 } },
      },
      '/api/runs/{id}/graph': {
        parameters: runPath,
        get: {
          summary: 'The graph document the run executed, as submitted (a library graph at the revision it ran)',
          operationId: 'getRunGraph',
          responses: { '200': ok('document', ref('GraphDocument')), ...E404 },
        },
      },
      '/api/runs/{id}/outputs/{name}': {
        parameters: params(S.RunOutputParams, 'path'),
        get: {
          summary: 'Download an output file of the run; PNG and MP4 files carry the graph the run executed (PNG iTXt chunk / MP4 metadata item `castgraph.graph`)',
          operationId: 'getRunOutput',
          parameters: params(S.RunOutputQuery, 'query'),
          responses: {
            '200': { description: 'the file, derived from the stored artifact', content: { '*/*': { schema: { type: 'string', contentMediaType: 'application/octet-stream' } } } },
            ...E400,
            ...E404,
          },
        },
      },
      '/api/runs/{id}/events': {
        parameters: runPath,
        get: {
          summary: 'The run\'s event log (poll with `after`)',
          operationId: 'listRunEvents',
          parameters: params(S.RunEventsQuery, 'query'),
          responses: { '200': ok('events', ref('RunEventList')), ...E404 },
        },
      },
      '/api/runs/{id}/cancel': {
        parameters: runPath,
        post: { summary: 'Cancel a queued or running run', operationId: 'cancelRun', responses: { '200': ok('run', ref('RunRecord')), ...E404, ...E409 } },
      },
      '/api/runs/{id}/priority': {
        parameters: runPath,
        post: {
          summary: 'Move a queued run in the queue',
          operationId: 'setRunPriority',
          requestBody: body('RunPriority'),
          responses: { '200': ok('run', ref('RunRecord')), ...E400, ...E404, ...E409 },
        },
      },
      '/api/runs/{id}/resume': {
        parameters: runPath,
        post: {
          summary: 'Re-run an interrupted, failed or cancelled run (same document, inputs, seeds; finished nodes come from the cache)',
          operationId: 'resumeRun',
          responses: { '202': ok('queued again', ref('RunRecord')), ...E404, ...E409 },
        },
      },
      '/api/queue': { get: { summary: 'Queue state', operationId: 'getQueue', responses: { '200': ok('queue', ref('QueueState')) } } },
      '/api/queue/pause': { post: { summary: 'Stop starting queued runs', operationId: 'pauseQueue', responses: { '200': ok('queue', ref('QueueState')) } } },
      '/api/queue/resume': { post: { summary: 'Start queued runs again', operationId: 'resumeQueue', responses: { '200': ok('queue', ref('QueueState')) } } },
      '/api/artifacts': {
        post: {
          summary: 'Upload a file (streamed, size-capped)',
          operationId: 'uploadArtifact',
          parameters: params(S.UploadQuery, 'query'),
          requestBody: { required: true, description: 'the raw bytes; Content-Type is recorded as the media type', content: { '*/*': { schema: { type: 'string', contentMediaType: 'application/octet-stream' } } } },
          responses: { '201': ok('stored', ref('ArtifactRef')), ...E400, ...E413 },
        },
      },
      '/api/artifacts/{hash}': {
        parameters: hashPath,
        get: {
          summary: 'Download by sha256 (supports Range)',
          operationId: 'getArtifact',
          parameters: [{ name: 'Range', in: 'header', required: false, schema: { type: 'string', examples: ['bytes=0-1023'] } }],
          responses: {
            '200': { description: 'the bytes', content: { '*/*': { schema: { type: 'string', contentMediaType: 'application/octet-stream' } } } },
            '206': { description: 'the requested range', content: { '*/*': { schema: { type: 'string', contentMediaType: 'application/octet-stream' } } } },
            ...E404,
            '416': error('range outside the file'),
          },
        },
      },
      '/api/artifacts/{hash}/meta': {
        parameters: hashPath,
        get: { summary: 'Reference (media type, size, pixel size)', operationId: 'getArtifactMeta', responses: { '200': ok('reference', ref('ArtifactRef')), ...E404 } },
      },
      '/api/artifacts/{hash}/thumbnail': {
        parameters: hashPath,
        get: {
          summary: 'Redirect to a cached WebP thumbnail',
          operationId: 'getThumbnail',
          parameters: params(S.ThumbnailQuery, 'query'),
          responses: { '302': { description: 'to the thumbnail artifact' }, ...E404, '415': error('not an image') },
        },
      },
      '/api/models': { get: { summary: 'Face models for the editor\'s in-browser preview, with their state on this server', operationId: 'listModels', responses: { '200': ok('models', ref('ModelList')) } } },
      '/api/models/{file}': {
        parameters: params(S.ModelFileParams, 'path'),
        get: {
          summary: 'A verified model file (only catalogued names)',
          operationId: 'getModel',
          responses: { '200': { description: 'the ONNX bytes', content: { 'application/octet-stream': { schema: { type: 'string', contentMediaType: 'application/octet-stream' } } } }, ...E404 },
        },
      },
      '/api/url-key': {
        get: { summary: 'A short-lived key for signing artifact and model URLs (the token never goes into a URL)', operationId: 'getUrlKey', responses: { '200': ok('the key', ref('UrlKey')) } },
      },
      '/api/openapi.json': { get: { summary: 'This document', operationId: 'getOpenApi', responses: { '200': ok('OpenAPI 3.1') } } },
    },
  };
}
