/**
 * A person's calendar feed: a tokenized URL (the token shown once, only its hash stored; revocable)
 * that any calendar client can subscribe to. It lists, for the cases the person may see now, the
 * embargo end (in the zone it was agreed in), the planned release dates and the deadlines of running clocks, each titled with
 * the case's codename, never its title. Reading it is an audited read naming the cases.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { caseRead } from '../domain/case/access-events.js';
import type { Case } from '../domain/case/types.js';
import { type CalendarEvent, icsCalendar } from '../domain/calendar/index.js';
import { DomainError } from '../domain/errors.js';
import { event } from '../domain/events.js';
import {
  type CalendarFeed,
  calendarFeedByHash,
  insertCalendarFeed,
  listCalendarFeeds,
  revokeCalendarFeed as revokeFeed,
} from '../store/calendar-feeds.js';
import { listCases } from '../store/cases.js';
import { appendEvents } from '../store/events.js';
import type { Database } from '../store/schema.js';
import { findUserById, findUserByUsername } from '../store/users.js';
import { requireScope, type Actor } from './actor.js';
import type { App } from './app.js';
import { clocksOf } from './clocks.js';
import { caseLink } from './notifications.js';
import { newSecret, secretHash } from './secrets.js';

export const CALENDAR_TOKEN_PREFIX = 'cal_';

async function ownerOf(db: Kysely<Database>, actor: Actor, username: string) {
  const user = await findUserByUsername(db, username);
  if (!user || (user.id !== actor.userId && actor.role !== 'admin')) throw new DomainError('not_found', `no user ${username}`);
  return user;
}

export const calendarUrl = (app: App, token: string) => `${app.config.publicUrl.replace(/\/$/, '')}/calendar/${token}.ics`;

/** A new feed; its URL is answered once. */
export async function createCalendarFeed(app: App, actor: Actor, username: string): Promise<CalendarFeed & { url: string }> {
  requireScope(actor, 'write');
  requireScope(actor, 'read');
  const token = newSecret(CALENDAR_TOKEN_PREFIX);
  const now = app.clock();
  return app.store.write(async (tx) => {
    const user = await ownerOf(tx, actor, username);
    const feed: CalendarFeed = { id: randomUUID(), userId: user.id, createdAt: now.toISOString(), revokedAt: null };
    await insertCalendarFeed(tx, { ...feed, tokenHash: secretHash(token) });
    await appendEvents(tx, {
      actor: actor.name,
      at: now,
      events: [event('calendar.feed_created', null, { id: feed.id, user: user.username })],
    });
    return { ...feed, url: calendarUrl(app, token) };
  });
}

export async function calendarFeeds(app: App, actor: Actor, username: string): Promise<CalendarFeed[]> {
  requireScope(actor, 'read');
  return app.store.read(async (db) => listCalendarFeeds(db, (await ownerOf(db, actor, username)).id));
}

export async function revokeCalendarFeed(app: App, actor: Actor, username: string, id: string): Promise<void> {
  requireScope(actor, 'write');
  const now = app.clock();
  await app.store.write(async (tx) => {
    const user = await ownerOf(tx, actor, username);
    if (!(await revokeFeed(tx, user.id, id, now))) throw new DomainError('not_found', `no live calendar feed ${id}`);
    await appendEvents(tx, { actor: actor.name, at: now, events: [event('calendar.feed_revoked', null, { id, user: user.username })] });
  });
}

async function eventsOf(app: App, db: Kysely<Database>, c: Case, now: Date): Promise<CalendarEvent[]> {
  const out: CalendarEvent[] = [];
  const url = caseLink(app, c.id);
  if (c.embargo && !c.publishedAt && !c.resolution) {
    out.push({
      uid: `embargo-${c.id}@embargo`,
      summary: `Embargo ends: ${c.codename} (${c.id})`,
      start: new Date(c.embargo.endsAt),
      timeZone: c.embargo.timeZone,
      url,
    });
  }
  const { clocks, timeZone } = await clocksOf(app, db, c, now);
  // Planned release dates of the lines not released yet, in the project's zone.
  if (!c.resolution) {
    for (const l of c.releasePlan) {
      if (!l.plannedAt || l.releasedAt) continue;
      out.push({
        uid: `release-${c.id}-${l.line}@embargo`,
        summary: `Release planned: ${l.version} for ${c.codename} (${c.id})`,
        start: new Date(l.plannedAt),
        timeZone,
        url,
      });
    }
  }
  for (const k of clocks) {
    if (!k.dueAt || (k.status !== 'due' && k.status !== 'at-risk' && k.status !== 'overdue')) continue;
    // The embargo end is already there, in its own zone.
    if (c.embargo && k.dueAt === new Date(c.embargo.endsAt).toISOString()) continue;
    out.push({
      uid: `clock-${c.id}-${k.id}@embargo`,
      summary: `Due: ${k.title}: ${c.codename} (${c.id})`,
      start: new Date(k.dueAt),
      timeZone,
      url,
    });
  }
  return out;
}

/** The feed a token opens: iCalendar text. Unknown or revoked: not found (the route answers 404). */
export async function calendarFeedText(app: App, token: string): Promise<string> {
  const now = app.clock();
  if (!token.startsWith(CALENDAR_TOKEN_PREFIX) || token.length > 200) throw new DomainError('not_found', 'no such calendar');
  return app.store.write(async (tx) => {
    const feed = await calendarFeedByHash(tx, secretHash(token));
    const user = feed ? await findUserById(tx, feed.userId) : undefined;
    if (!feed || !user || user.disabledAt) throw new DomainError('not_found', 'no such calendar');
    const cases = await listCases(tx, { limit: 100_000, ...(user.role === 'admin' ? {} : { visibleTo: user.id }) });
    const events: CalendarEvent[] = [];
    for (const c of cases) events.push(...(await eventsOf(app, tx, c, now)));
    const shown = [...new Set(events.map((e) => /\((EMB-[^)]+)\)/.exec(e.summary)?.[1]).filter((x): x is string => Boolean(x)))];
    await appendEvents(tx, {
      actor: user.username,
      at: now,
      events: [{ ...caseRead(null, 'calendar feed'), details: { what: 'calendar feed', cases: shown } }],
    });
    return icsCalendar(events, { name: 'Embargo', now });
  });
}
