/**
 * Projects: the list a person belongs to, each project's record and settings, its members. Instance
 * admins add and archive projects; a project's admins change its settings and members (the app
 * checks who may, so the routes ask only for a signed-in user). A project the caller does not
 * belong to answers 404, like an unknown one.
 */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { App } from '../../app/app.js';
import * as projects from '../../app/projects.js';
import { PROJECT_ROLES, ProjectEditSchema, ProjectInputSchema, ProjectMemberSchema, ProjectSchema } from '../../domain/project/schema.js';
import { requireActor } from '../auth.js';
import { ifMatch, ifMatchHeaders, withETag } from '../revision.js';
import { errorResponses, projectSlug, stringEnum } from '../schemas.js';

const settingsInForce = Type.Object(
  {},
  { additionalProperties: true, description: "The settings in force: the playbook's, with the project's own laid over them" },
);

const projectView = Type.Object({
  ...ProjectSchema.properties,
  role: stringEnum(PROJECT_ROLES, { description: "The caller's role in the project (instance admins: admin)" }),
  effectiveSettings: settingsInForce,
});

const projectParams = Type.Object({ projectId: projectSlug });
const memberParams = Type.Object({ projectId: projectSlug, username: Type.String({ minLength: 1, maxLength: 64 }) });
const members = { 200: Type.Object({ members: Type.Array(ProjectMemberSchema) }), ...errorResponses };
const one = { 200: projectView, ...errorResponses };

export function projectRoutes(fastify: FastifyInstance, app: App): void {
  const server = fastify.withTypeProvider<TypeBoxTypeProvider>();

  server.get(
    '/api/v1/projects',
    {
      schema: {
        summary: 'The projects the caller belongs to (instance admins: every project; all=true: archived ones too)',
        tags: ['projects'],
        querystring: Type.Object({ all: Type.Optional(stringEnum(['true', 'false'] as const)) }, { additionalProperties: false }),
        response: { 200: Type.Object({ projects: Type.Array(projectView) }), ...errorResponses },
      },
    },
    async (request) => ({ projects: await projects.listProjects(app, requireActor(request), { all: request.query.all === 'true' }) }),
  );

  server.post(
    '/api/v1/projects',
    {
      config: { auth: 'admin' },
      schema: {
        summary: 'Add a project with the playbook it follows and its own settings (instance admins)',
        tags: ['projects'],
        body: ProjectInputSchema,
        response: { 201: projectView, ...errorResponses },
      },
    },
    async (request, reply) => reply.status(201).send(withETag(reply, await projects.addProject(app, requireActor(request), request.body))),
  );

  server.get(
    '/api/v1/projects/:projectId',
    {
      schema: {
        summary: 'A project, its own settings and the settings in force',
        tags: ['projects'],
        params: projectParams,
        response: one,
      },
    },
    async (request, reply) => withETag(reply, await projects.showProject(app, requireActor(request), request.params.projectId)),
  );

  server.patch(
    '/api/v1/projects/:projectId',
    {
      schema: {
        summary:
          "Change a project's name, repository, playbook (instance admins) or settings; a setting set to null takes the playbook's value again",
        tags: ['projects'],
        params: projectParams,
        headers: ifMatchHeaders,
        body: ProjectEditSchema,
        response: one,
      },
    },
    async (request, reply) =>
      withETag(
        reply,
        await projects.editProject(app, requireActor(request), request.params.projectId, request.body, ifMatch(request).expectedRevision),
      ),
  );

  for (const [action, archived] of [
    ['archive', true],
    ['restore', false],
  ] as const) {
    server.post(
      `/api/v1/projects/:projectId/${action}`,
      {
        config: { auth: 'admin' },
        schema: {
          summary: archived
            ? 'Archive a project: no new cases or members; its cases and registers stay (instance admins)'
            : 'Restore an archived project (instance admins)',
          tags: ['projects'],
          params: projectParams,
          response: one,
        },
      },
      async (request, reply) =>
        withETag(reply, await projects.archiveProject(app, requireActor(request), request.params.projectId, archived)),
    );
  }

  server.get(
    '/api/v1/projects/:projectId/members',
    { schema: { summary: "The project's members and their roles", tags: ['projects'], params: projectParams, response: members } },
    async (request) => ({ members: await projects.projectMembers(app, requireActor(request), request.params.projectId) }),
  );

  server.put(
    '/api/v1/projects/:projectId/members/:username',
    {
      schema: {
        summary: "Add a member to the project, or change their role (the project's admins)",
        tags: ['projects'],
        params: memberParams,
        body: Type.Object({ role: Type.Optional(stringEnum(PROJECT_ROLES)) }, { additionalProperties: false }),
        response: members,
      },
    },
    async (request) => ({
      members: await projects.putProjectMember(
        app,
        requireActor(request),
        request.params.projectId,
        request.params.username,
        request.body.role,
      ),
    }),
  );

  server.delete(
    '/api/v1/projects/:projectId/members/:username',
    {
      schema: {
        summary: "Take a member out of the project (the project's admins)",
        tags: ['projects'],
        params: memberParams,
        response: members,
      },
    },
    async (request) => ({
      members: await projects.removeProjectMember(app, requireActor(request), request.params.projectId, request.params.username),
    }),
  );
}
