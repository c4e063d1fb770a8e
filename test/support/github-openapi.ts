/**
 * GitHub's own OpenAPI description (../shared/data/github/github-rest.openapi.json, OpenAPI 3.0.3)
 * as the independent oracle for everything Embargo sends to GitHub and everything the fake GitHub
 * answers: path and query parameters, request bodies and response bodies per status.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import _addFormats from 'ajv-formats';

const addFormats = _addFormats.default;

const SPEC = fileURLToPath(new URL('../../../shared/data/github/github-rest.openapi.json', import.meta.url));

/** OpenAPI 3.0's `nullable: true` as JSON Schema: a null type (or null in the enum, or anyOf with null). */
export function nullableToJsonSchema(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(nullableToJsonSchema);
  if (typeof node !== 'object' || node === null) return node;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) if (k !== 'nullable') out[k] = nullableToJsonSchema(v);
  if ((node as Record<string, unknown>).nullable !== true) return out;
  if (typeof out.type === 'string') {
    out.type = [out.type, 'null'];
    if (Array.isArray(out.enum)) out.enum = [...out.enum, null];
    return out;
  }
  return { anyOf: [out, { type: 'null' }] };
}

type Json = Record<string, any>;
type Method = 'get' | 'post' | 'patch' | 'put' | 'delete';

export interface OperationMatch {
  /** e.g. "POST /repos/{owner}/{repo}/security-advisories" */
  id: string;
  template: string;
  method: Method;
  pathParams: Record<string, string>;
}

export interface RequestToCheck {
  method: string;
  /** The path without the query, e.g. /repos/o/r/security-advisories */
  path: string;
  query: Record<string, string>;
  /** Parsed JSON body; undefined when none was sent. */
  body: unknown;
}

/** Statuses GitHub answers on any endpoint although the description lists them only on some. */
const ANY_ENDPOINT_ERRORS = new Set([401, 403, 429, 500, 502, 503]);

const explain = (where: string, errors: ErrorObject[] | null | undefined): string[] =>
  (errors ?? []).map(
    (e) => `${where}${e.instancePath || ''} ${e.message ?? 'is invalid'}${e.params ? ` ${JSON.stringify(e.params)}` : ''}`,
  );

export interface GitHubContract {
  /** Finds the operation; null when GitHub's description has no such path and method. */
  match(method: string, path: string): OperationMatch | null;
  /** Problems with a request (empty: it is what GitHub documents). */
  checkRequest(req: RequestToCheck): { operation: OperationMatch | null; problems: string[] };
  /** Problems with a response for the operation (empty: valid for that status). */
  checkResponse(operation: OperationMatch, status: number, body: unknown): string[];
  /** Validates a document against a component schema, e.g. "repository-advisory-create". */
  checkSchema(component: string, doc: unknown): string[];
}

let contract: GitHubContract | undefined;

/** The contract, compiled once per test file. */
export function githubContract(): GitHubContract {
  contract ??= compileContract();
  return contract;
}

function compileContract(): GitHubContract {
  const api = nullableToJsonSchema(JSON.parse(readFileSync(SPEC, 'utf8'))) as Json;
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  ajv.addSchema({ $id: 'github-rest', components: api.components });
  // Query and path values arrive as strings; compare them as GitHub would parse them.
  const paramAjv = new Ajv({ allErrors: true, strict: false, coerceTypes: true });
  addFormats(paramAjv);

  const cache = new Map<string, ValidateFunction>();
  const compile = (key: string, schema: unknown, with_ = ajv): ValidateFunction => {
    let v = cache.get(key);
    if (!v) {
      v = with_.compile(rebase(schema) as object);
      cache.set(key, v);
    }
    return v;
  };
  // Local refs (#/components/…) point into the registered "github-rest" document.
  const rebase = (schema: unknown): unknown =>
    JSON.parse(JSON.stringify(schema), (k, v) => (k === '$ref' && typeof v === 'string' && v.startsWith('#/') ? `github-rest${v}` : v));
  const deref = (node: Json): Json => {
    let n = node;
    while (n && typeof n.$ref === 'string') {
      n = n.$ref
        .replace(/^#\//, '')
        .split('/')
        .reduce((o: Json, key: string) => o[key], api);
    }
    return n;
  };

  const templates = Object.keys(api.paths as Json).map((template) => ({
    template,
    regex: new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{([^}]+)\\?\}/g, '(?<$1>[^/]+)')}$`),
  }));

  function match(method: string, path: string): OperationMatch | null {
    const m = method.toLowerCase() as Method;
    // Prefer literal segments: /security-advisories/reports before /security-advisories/{ghsa_id}.
    const found = templates
      .map((t) => ({ t, hit: t.regex.exec(path) }))
      .filter((x) => x.hit && (api.paths as Json)[x.t.template][m])
      .sort((a, b) => (a.t.template.match(/\{/g)?.length ?? 0) - (b.t.template.match(/\{/g)?.length ?? 0))[0];
    if (!found) return null;
    const pathParams = Object.fromEntries(Object.entries(found.hit!.groups ?? {}).map(([k, v]) => [k, decodeURIComponent(v)]));
    return { id: `${method.toUpperCase()} ${found.t.template}`, template: found.t.template, method: m, pathParams };
  }

  function checkRequest(req: RequestToCheck) {
    const operation = match(req.method, req.path);
    if (!operation) return { operation, problems: [`${req.method.toUpperCase()} ${req.path} is no operation in GitHub's description`] };
    const op = (api.paths as Json)[operation.template][operation.method] as Json;
    const problems: string[] = [];
    const params = ((op.parameters ?? []) as Json[]).map(deref);
    for (const where of ['path', 'query'] as const) {
      const declared = params.filter((p) => p.in === where);
      const values = where === 'path' ? operation.pathParams : req.query;
      const schema = {
        type: 'object',
        properties: Object.fromEntries(declared.map((p) => [p.name, p.schema ?? {}])),
        required: declared.filter((p) => p.required).map((p) => p.name),
        additionalProperties: false,
      };
      const v = compile(`${operation.id} ${where}`, schema, paramAjv);
      if (!v({ ...values })) problems.push(...explain(`${operation.id} ${where} parameters`, v.errors));
    }
    const content = op.requestBody?.content?.['application/json'];
    if (!content) {
      if (req.body !== undefined && !(typeof req.body === 'object' && req.body !== null && Object.keys(req.body).length === 0)) {
        problems.push(`${operation.id} takes no request body, but one was sent`);
      }
    } else if (req.body === undefined) {
      if (op.requestBody.required) problems.push(`${operation.id} needs a JSON request body`);
    } else {
      const v = compile(`${operation.id} body`, content.schema);
      if (!v(req.body)) problems.push(...explain(`${operation.id} request body`, v.errors));
    }
    return { operation, problems };
  }

  function checkResponse(operation: OperationMatch, status: number, body: unknown): string[] {
    const op = (api.paths as Json)[operation.template][operation.method] as Json;
    const declared = op.responses[String(status)] ?? op.responses.default;
    const where = `${operation.id} ${status} response`;
    if (!declared) {
      // A conditional GET's 304 carries no body on any endpoint.
      if (status === 304) return body === undefined || body === '' ? [] : [`${where} must have no body`];
      if (ANY_ENDPOINT_ERRORS.has(status)) {
        const v = compile('basic-error', { $ref: '#/components/schemas/basic-error' });
        return v(body) ? [] : explain(where, v.errors);
      }
      return [`${where}: GitHub's description lists no ${status} for ${operation.id}`];
    }
    const schema = deref(declared).content?.['application/json']?.schema;
    if (!schema) return body === undefined || body === '' ? [] : [`${where} must have no body`];
    const v = compile(`${operation.id} ${status}`, schema);
    return v(body) ? [] : explain(where, v.errors);
  }

  function checkSchema(component: string, doc: unknown): string[] {
    if (!(api.components as Json).schemas[component]) throw new Error(`GitHub's description has no schema ${component}`);
    const v = compile(`schema ${component}`, { $ref: `#/components/schemas/${component}` });
    return v(doc) ? [] : explain(component, v.errors);
  }

  return { match, checkRequest, checkResponse, checkSchema };
}
