/**
 * A person's calendar feeds: create one (its URL is answered once), list, revoke; and the feed
 * itself at /calendar/<token>.ics, public to whoever holds the token (a revoked or unknown one: 404).
 */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import type { App } from '../../app/app.js';
import { calendarFeeds, calendarFeedText, createCalendarFeed, revokeCalendarFeed } from '../../app/calendar.js';
import { requireActor } from '../auth.js';
import { errorResponses, noContent, nullable } from '../schemas.js';

const username = Type.Object({ username: Type.String({ minLength: 1, maxLength: 39 }) });
const Feed = Type.Object({ id: Type.String(), createdAt: Type.String(), revokedAt: nullable(Type.String()) });

/** The token in a feed URL, for request logs. */
export function redactCalendarSecrets(url: string): string {
  return url.replace(/cal_[A-Za-z0-9_%-]*/g, 'cal_[redacted]');
}

export function calendarRoutes(server: FastifyInstance, app: App): void {
  const typed = server.withTypeProvider<TypeBoxTypeProvider>();
  typed.post(
    '/api/v1/users/:username/calendar-feeds',
    {
      schema: {
        summary: 'A new calendar feed (ICS) of embargo ends and clock deadlines; its URL is shown once',
        tags: ['calendar'],
        params: username,
        response: {
          201: Type.Object({ ...Feed.properties, url: Type.String({ description: 'Subscribe to this; keep it secret' }) }),
          ...errorResponses,
        },
      },
    },
    async (request, reply) => {
      const feed = await createCalendarFeed(app, requireActor(request), request.params.username);
      return reply.code(201).send({ id: feed.id, createdAt: feed.createdAt, revokedAt: feed.revokedAt, url: feed.url });
    },
  );
  typed.get(
    '/api/v1/users/:username/calendar-feeds',
    {
      schema: {
        summary: "A person's calendar feeds (without their URLs)",
        tags: ['calendar'],
        params: username,
        response: { 200: Type.Array(Feed), ...errorResponses },
      },
    },
    async (request) =>
      (await calendarFeeds(app, requireActor(request), request.params.username)).map((f) => ({
        id: f.id,
        createdAt: f.createdAt,
        revokedAt: f.revokedAt,
      })),
  );
  typed.delete(
    '/api/v1/users/:username/calendar-feeds/:feedId',
    {
      schema: {
        summary: 'Revoke a calendar feed: its URL answers 404 from now on',
        tags: ['calendar'],
        params: Type.Object({ ...username.properties, feedId: Type.String({ maxLength: 64 }) }),
        response: noContent,
      },
    },
    async (request, reply) => {
      await revokeCalendarFeed(app, requireActor(request), request.params.username, request.params.feedId);
      return reply.code(204).send();
    },
  );
  typed.get(
    '/calendar/:feed',
    {
      config: { auth: 'public' },
      schema: { hide: true, params: Type.Object({ feed: Type.String({ maxLength: 220, pattern: '^cal_[A-Za-z0-9_-]+\\.ics$' }) }) },
    },
    async (request, reply) => {
      const text = await calendarFeedText(app, request.params.feed.replace(/\.ics$/, ''));
      return reply.header('cache-control', 'no-store').type('text/calendar; charset=utf-8').send(text);
    },
  );
}
