/**
 * /api/v1/openapi.json is what the generated client is built from, so it must describe every route
 * completely: its path parameters, its request body, and an answer schema for its success status —
 * and the shared answers must be named components with their required fields.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RegisteredRoute } from '../../src/server/server.js';
import { client, startApp, type TestApp } from '../support/app.js';
import { storeFactories } from '../support/databases.js';

type Schema = {
  $ref?: string;
  type?: string;
  required?: string[];
  properties?: Record<string, Schema>;
  items?: Schema;
  enum?: string[];
  nullable?: boolean;
};
type Operation = {
  parameters?: { in: string; name: string; required?: boolean; schema: Schema }[];
  requestBody?: { content: Record<string, { schema: Schema }> };
  responses: Record<string, { content?: Record<string, { schema: Schema }> }>;
};
type Document = { openapi: string; paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, Schema> } };

/** The success statuses a route's own schema declares (2xx). */
const successStatuses = (route: RegisteredRoute) =>
  Object.keys((route.schema.response ?? {}) as Record<string, unknown>).filter((s) => /^2\d\d$/.test(s));

describe('the OpenAPI document', () => {
  let t: TestApp;
  let doc: Document;
  let api: RegisteredRoute[];

  beforeAll(async () => {
    // The document does not depend on the data: one database (SQLite) is enough.
    t = await startApp(storeFactories()[0]!.open);
    const res = await client(t.server).get('/api/v1/openapi.json');
    expect(res.status).toBe(200);
    doc = res.body as Document;
    api = t.server.embargoRoutes.filter((r) => r.url.startsWith('/api/v1/') && r.url !== '/api/v1/openapi.json');
  });
  afterAll(async () => {
    await t.close();
  });

  const operation = (route: RegisteredRoute): Operation | undefined =>
    doc.paths[route.url.replace(/:(\w+)/g, '{$1}')]?.[route.method.toLowerCase()];

  it('lists every /api/v1 route with each of its path parameters', () => {
    expect(api.length).toBeGreaterThan(50);
    for (const route of api) {
      const op = operation(route);
      expect(op, `${route.method} ${route.url}`).toBeDefined();
      const names = [...route.url.matchAll(/:(\w+)/g)].map((m) => m[1]);
      const documented = (op?.parameters ?? []).filter((p) => p.in === 'path');
      expect(documented.map((p) => p.name).sort(), `${route.method} ${route.url}`).toEqual([...names].sort());
      for (const p of documented) expect(p.required, `${route.url} :${p.name}`).toBe(true);
    }
  });

  it('gives every route that takes a body its request schema, closed to unknown fields', () => {
    const withBody = api.filter((r) => r.schema.body !== undefined);
    expect(withBody.length).toBeGreaterThan(30);
    for (const route of withBody) {
      const schema = operation(route)?.requestBody?.content['application/json']?.schema;
      expect(schema, `${route.method} ${route.url}`).toBeDefined();
      expect(schema?.type, `${route.method} ${route.url}`).toBe('object');
      expect((schema as { additionalProperties?: unknown }).additionalProperties, `${route.method} ${route.url}`).toBe(false);
    }
  });

  it('gives every route an answer schema for each success status', () => {
    for (const route of api) {
      const statuses = successStatuses(route);
      expect(statuses.length, `${route.method} ${route.url} declares no success status`).toBeGreaterThan(0);
      const responses = operation(route)?.responses ?? {};
      for (const status of statuses) {
        expect(responses[status], `${route.method} ${route.url} ${status}`).toBeDefined();
        if (status === '204') continue;
        const content = responses[status]?.content ?? {};
        const schema = Object.values(content)[0]?.schema;
        expect(schema, `${route.method} ${route.url} ${status}`).toBeDefined();
        // An object answer lists its fields (an untyped object would give clients nothing).
        if (schema?.type === 'object' && !schema.$ref) {
          const open = (schema as { additionalProperties?: unknown }).additionalProperties === true;
          expect(open || Object.keys(schema.properties ?? {}).length > 0, `${route.method} ${route.url} ${status}`).toBe(true);
        }
      }
    }
  });

  it('names the shared answers as components, with their required fields', () => {
    const { schemas } = doc.components;
    expect(Object.keys(schemas)).toEqual(expect.arrayContaining(['Case', 'CaseSummary', 'Error', 'Event', 'StepView', 'User']));
    expect(schemas.Case?.required).toEqual(expect.arrayContaining(['id', 'title', 'revision', 'steps', 'reporter', 'embargo']));
    expect(schemas.Case?.required).not.toContain('forkUrl');
    expect(schemas.Case?.properties?.revision?.type).toBe('integer');
    expect(schemas.Case?.properties?.reporter?.nullable).toBe(true);
    expect(schemas.Case?.properties?.reporter?.properties?.credit?.enum).toEqual(['named', 'anonymous', 'name-without-company']);
    expect(schemas.CaseSummary?.required).toEqual([
      'id',
      'title',
      'codename',
      'project',
      'playbook',
      'status',
      'embargo',
      'updatedAt',
      'createdAt',
    ]);
    expect(schemas.Error?.properties?.error?.required).toEqual(['code', 'message', 'details']);
    const show = doc.paths['/api/v1/cases/{caseId}']?.get;
    expect(show?.responses['200']?.content?.['application/json']?.schema.$ref).toBe('#/components/schemas/Case');
    expect(show?.responses['404']?.content?.['application/json']?.schema.$ref).toBe('#/components/schemas/Error');
  });

  it('uses the one case-id pattern of the domain', async () => {
    const { CASE_ID_SOURCE } = await import('../../src/domain/case/case-id.js');
    const param = doc.paths['/api/v1/cases/{caseId}']?.get?.parameters?.find((p) => p.name === 'caseId');
    expect(param).toBeDefined();
    expect(param?.schema.type).toBe('string');
    expect((param?.schema as { pattern?: string } | undefined)?.pattern).toBe(CASE_ID_SOURCE);
  });
});
