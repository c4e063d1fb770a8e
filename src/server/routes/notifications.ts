/**
 * GET/PUT /api/v1/users/:username/notifications: what a person is told of, by mail and by webhook
 * (their own; an admin's for anyone). The webhook key is write-only.
 */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { App } from '../../app/app.js';
import { notificationPreferences, setNotificationPreferences } from '../../app/notification-settings.js';
import { NOTIFICATION_KINDS } from '../../domain/notifications/types.js';
import { requireActor } from '../auth.js';
import { errorResponses, nullable, stringEnum } from '../schemas.js';

const username = Type.Object({ username: Type.String({ minLength: 1, maxLength: 39 }) });
const Kinds = Type.Array(stringEnum(NOTIFICATION_KINDS), { maxItems: NOTIFICATION_KINDS.length, description: 'Notification kinds' });

const Preferences = Type.Object({
  username: Type.String(),
  mail: Type.Object({ address: nullable(Type.String()), events: Kinds }),
  webhook: Type.Object({
    url: nullable(Type.String()),
    events: Kinds,
    hasSecret: Type.Boolean({ description: 'A signing key is stored (it is never answered)' }),
  }),
});

const PreferencesInput = Type.Object(
  {
    mail: Type.Optional(
      Type.Object(
        {
          address: Type.Optional(nullable(Type.String({ maxLength: 320, description: 'Where notification mail goes; null: none' }))),
          events: Type.Optional(Kinds),
        },
        { additionalProperties: false },
      ),
    ),
    webhook: Type.Optional(
      Type.Object(
        {
          url: Type.Optional(
            nullable(Type.String({ maxLength: 2000, description: 'https:// (plain http only to this machine); null: none' })),
          ),
          secret: Type.Optional(
            Type.String({ minLength: 16, maxLength: 256, description: 'The HMAC-SHA256 key that signs each delivery; write-only' }),
          ),
          events: Type.Optional(Kinds),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);

export function notificationRoutes(server: FastifyInstance, app: App): void {
  const typed = server.withTypeProvider<TypeBoxTypeProvider>();
  typed.get(
    '/api/v1/users/:username/notifications',
    {
      schema: {
        summary: "What a person is told of: new reports, replies, objections, CVE ids, the embargo's end, clocks at risk or overdue",
        tags: ['notifications'],
        params: username,
        response: { 200: Preferences, ...errorResponses },
      },
    },
    async (request) => notificationPreferences(app, requireActor(request), request.params.username),
  );
  typed.put(
    '/api/v1/users/:username/notifications',
    {
      schema: {
        summary: 'Choose which notifications come by mail and which by signed webhook (fields left out stay as they are)',
        tags: ['notifications'],
        params: username,
        body: PreferencesInput,
        response: { 200: Preferences, ...errorResponses },
      },
    },
    async (request) => setNotificationPreferences(app, requireActor(request), request.params.username, request.body),
  );
}
