/**
 * Sending the checklist's mails from a case: render the playbook's template (or take the person's
 * edited text), lint it with the real context, and — only when the lint finds no error — queue it in
 * the outbox and record it on the case, in one transaction with its `message.queued` event.
 */
import { caseRead } from '../domain/case/access-events.js';
import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Case } from '../domain/case/types.js';
import { DomainError, invalidInput } from '../domain/errors.js';
import {
  hasErrors,
  isMessageKind,
  lintMessage,
  MESSAGE_KIND_IDS,
  MESSAGE_KINDS,
  recordMessage,
  renderMessage,
  threadHeaders,
  type Finding,
  type MessageKind,
} from '../domain/messages/index.js';
import { nextMessageKind, type Playbook } from '../domain/playbook/index.js';
import { disclosureCalendar } from '../domain/calendar/disclosure.js';
import { appendEvents, listEvents } from '../store/events.js';
import { enqueueMessage, getMessage, markCopied, type OutboxMessage } from '../store/outbox.js';
import type { Database } from '../store/schema.js';
import { requireAdmin, requireScope, type Actor } from './actor.js';
import type { App } from './app.js';
import { loadVisibleCase, readCase } from './cases.js';
import { playbookOf } from './projects.js';
import { reportReference } from './report-reference.js';
import { type CaseAnswer, workOnCase } from './unit-of-work.js';

/** A mail as the API and the CLI show it: the outbox row without its worker bookkeeping. */
export type MessageView = Omit<OutboxMessage, 'idempotencyKey' | 'headers' | 'claimedBy' | 'claimedUntil'>;

export function presentMessage(m: OutboxMessage): MessageView {
  const { idempotencyKey: _key, headers: _headers, claimedBy: _by, claimedUntil: _until, ...view } = m;
  return view;
}

export interface Draft {
  message: { kind: MessageKind; audience: string; from: string | null; to: string[]; subject: string; body: string };
  findings: Finding[];
  /** No error finding: it may be sent as it is. */
  ok: boolean;
}

export interface SendInput {
  /** The person's edited text; the rendered template when absent. */
  subject?: unknown;
  body?: unknown;
  to?: unknown;
  /** `smtp` (default): the worker sends it. `copy`: it is for a list's web interface (status copied). */
  via?: unknown;
}

export interface Sent {
  message: MessageView;
  /** False when the same request had queued it already (a double click): nothing new was queued. */
  created: boolean;
  /** Warnings the lint raised (errors refuse the send). */
  findings: Finding[];
}

/** Only plain addresses reach the outbox (it refuses anything else, and rightly). */
const PLAIN_ADDRESS = /^[^\s@<>,;"]+@[^\s@<>,;"]+$/;
const MAX_SUBJECT = 998;
const MAX_BODY = 100_000;
const MAX_RECIPIENTS = 20;

function messageKind(kind: unknown): MessageKind {
  if (typeof kind !== 'string' || !isMessageKind(kind)) {
    throw invalidInput(`kind must be one of ${MESSAGE_KIND_IDS.join(', ')}`, { field: 'kind' });
  }
  return kind;
}

/** The project's own From address, else EMBARGO_MAIL_FROM, else the security contact. */
const fromOf = (app: App, playbook: Playbook) => playbook.settings.mailFrom ?? app.config.mailFrom ?? playbook.settings.securityContact;

function fromAddress(app: App, playbook: Playbook): string {
  const from = fromOf(app, playbook);
  if (!from) {
    throw new DomainError(
      'conflict',
      `no From address: set the project's mailFrom or securityContact (embargo project edit), or EMBARGO_MAIL_FROM`,
    );
  }
  if (!PLAIN_ADDRESS.test(from)) {
    throw new DomainError(
      'conflict',
      `the From address "${from}" is not a plain mail address (name@domain); fix the project's mailFrom, EMBARGO_MAIL_FROM or the securityContact`,
    );
  }
  return from;
}

function draftOf(app: App, c: Case, playbook: Playbook, kind: MessageKind, now: Date, reference: string): Draft {
  const rendered = renderMessage(kind, { case: c, playbook, now, reference });
  const findings = lintMessage({ ...rendered, playbook, case: c, now: app.clock() });
  const from = fromOf(app, playbook) ?? null;
  return { message: { ...rendered, from }, findings, ok: !hasErrors(findings) };
}

/** The playbook's template rendered for the case, with its lint result. An audited read. */
export async function draftMessage(app: App, actor: Actor, caseId: string, kind?: unknown): Promise<Draft> {
  const now = app.clock();
  // The kind is checked once the case is known to be visible: an outsider learns nothing but 404.
  return readCase(app, actor, caseId, `draft of ${typeof kind === 'string' && isMessageKind(kind) ? kind : 'a mail'}`, async (c, db) => {
    const playbook = await playbookOf(app, db, c);
    // No kind: the mail the checklist waits for next (the reporter's acknowledgement at first).
    const k = kind === undefined || kind === null ? (nextMessageKind(playbook, c) ?? 'reporter-ack') : messageKind(kind);
    return draftOf(app, c, playbook, k, now, await reportReference(db, c.id));
  });
}

/** "body 12:3: [embargoed-id] …": where, the rule, and what to do; recipients have no position. */
export function describeFinding(f: Finding): string {
  const where = f.part === 'recipients' ? 'recipients' : `${f.part} ${f.line}:${f.column}`;
  return `${where}: [${f.rule}] ${f.message}`;
}

function text(value: unknown, field: string, max: number): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw invalidInput(`${field} must be text`, { field });
  if (value.length > max) throw invalidInput(`${field} is ${value.length} characters long; at most ${max} are allowed`, { field });
  if (value.includes('\u0000')) throw invalidInput(`${field} contains a NUL character`, { field });
  return value;
}

function recipients(value: unknown): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || value.some((a) => typeof a !== 'string'))
    throw invalidInput('to must be a list of addresses', { field: 'to' });
  if (value.length > MAX_RECIPIENTS)
    throw invalidInput(`to lists ${value.length} addresses; at most ${MAX_RECIPIENTS} are allowed`, { field: 'to' });
  return value.map((a: string) => a.trim());
}

/**
 * The report's Message-ID, to thread the reporter's mails under it: from the original report, or
 * (cases opened before it was kept on the case) from the report.received event.
 */
async function reportMessageId(tx: Kysely<Database>, c: Case): Promise<string | null> {
  if (c.report !== undefined && c.report !== null) return c.report.messageId;
  const [received] = await listEvents(tx, { caseId: c.id, actions: ['report.received'], limit: 1 });
  const id = (received?.details as { messageId?: unknown } | undefined)?.messageId;
  return typeof id === 'string' ? id : null;
}

/**
 * The idempotency key: the same case, kind and text (subject, body, recipients) is the same mail, so
 * a double click or a retried request never queues two; a changed text is a new message.
 */
export function sendKey(caseId: string, kind: MessageKind, m: { subject: string; body: string; to: string[] }): string {
  const digest = createHash('sha256')
    .update(JSON.stringify([m.subject, m.body, m.to]), 'utf8')
    .digest('hex')
    .slice(0, 32);
  return `${kind}:${caseId}:${digest}`;
}

/**
 * Lints and queues one of the checklist's mails for a case. Refuses (gate_failed, every error
 * finding listed with its line:column) when the lint finds an error; otherwise enqueues the outbox
 * row, records it on the case and appends `message.queued` (never the body), all in one transaction.
 */
export async function sendMessage(app: App, actor: Actor, caseId: string, kind: unknown, input: SendInput = {}): Promise<CaseAnswer<Sent>> {
  requireScope(actor, 'write');
  const k = messageKind(kind);
  const spec = MESSAGE_KINDS[k];
  const via = input.via ?? 'smtp';
  if (via !== 'smtp' && via !== 'copy') throw invalidInput('via must be "smtp" or "copy"', { field: 'via' });
  const editedSubject = text(input.subject, 'subject', MAX_SUBJECT);
  const editedBody = text(input.body, 'body', MAX_BODY);
  const editedTo = recipients(input.to);
  if (editedSubject !== undefined && /[\r\n]/.test(editedSubject)) throw invalidInput('subject must be one line', { field: 'subject' });
  return workOnCase(app, actor, caseId, 'write', async (c, ctx) => {
    const { tx, playbook, now } = ctx;
    const rendered = renderMessage(k, { case: c, playbook, now, reference: await reportReference(tx, c.id) });
    const mail = {
      subject: editedSubject ?? rendered.subject,
      body: (editedBody ?? rendered.body).replace(/\r\n?/g, '\n'),
      to: editedTo ?? rendered.to,
    };
    const findings = lintMessage({ kind: k, ...mail, playbook, case: c, now: app.clock() });
    const errors = findings.filter((f) => f.severity === 'error');
    if (mail.to.length === 0) {
      const who =
        spec.audience === 'reporter'
          ? 'the case has no reporter contact'
          : `project ${c.project} configures no ${spec.audience} list (embargo project edit ${c.project} --${spec.audience}-list ADDRESS)`;
      throw new DomainError('gate_failed', `${spec.label} has no recipient: ${who}`, { findings, unmet: [`recipients: ${who}`] });
    }
    if (errors.length > 0) {
      throw new DomainError(
        'gate_failed',
        `${spec.label} was not queued: the lint found ${errors.length === 1 ? '1 error' : `${errors.length} errors`}`,
        { findings, unmet: errors.map(describeFinding) },
      );
    }
    const bad = mail.to.find((a) => !PLAIN_ADDRESS.test(a));
    if (bad !== undefined) {
      throw new DomainError('gate_failed', `"${bad}" is not a mail address; reach this recipient another way`, {
        findings,
        unmet: [`recipients: "${bad}" is not a plain mail address`],
      });
    }
    const from = fromAddress(app, playbook);
    // A duplicate recipient is only a lint warning; the mail still goes to each address once.
    mail.to = [...new Set(mail.to)];

    const { message, created } = await enqueueMessage(tx, {
      caseId: c.id,
      kind: k,
      idempotencyKey: sendKey(c.id, k, mail),
      from,
      to: mail.to,
      subject: mail.subject,
      body: mail.body,
      headers: spec.audience === 'reporter' ? threadHeaders(spec.audience, await reportMessageId(tx, c)) : {},
      ...(k === 'distributors-notice' && c.embargo ? { calendar: disclosureCalendar(c, playbook, now) } : {}),
      createdBy: ctx.actor,
      now,
    });
    // A new message for the web interface never reaches the worker: it is copied from the start.
    const queued = created && via === 'copy' ? ((await markCopied(tx, message.id)) ?? message) : message;
    const { state, events } = recordMessage(
      c,
      { kind: k, outboxId: queued.id, status: queued.status, to: queued.to, subject: queued.subject, via },
      ctx,
    );
    return { state, events, value: { message: presentMessage(queued), created, findings } };
  });
}

async function visibleMessage(tx: Kysely<Database>, actor: Actor, id: string): Promise<OutboxMessage> {
  const m = await getMessage(tx, id);
  const hidden = () => new DomainError('not_found', `message ${id} not found`);
  if (!m) throw hidden();
  if (m.caseId === null) {
    if (actor.role !== 'admin') throw hidden();
    return m;
  }
  await loadVisibleCase(tx, actor, m.caseId).catch(() => {
    throw hidden();
  });
  return m;
}

/** One message with its text. The read is audited like any read of the case's embargoed details. */
export async function showMessage(app: App, actor: Actor, id: string): Promise<MessageView> {
  requireScope(actor, 'read');
  const now = app.clock();
  return app.store.write(async (tx) => {
    const m = await visibleMessage(tx, actor, id);
    if (m.caseId === null) requireAdmin(actor);
    await appendEvents(tx, {
      actor: actor.name,
      at: now,
      events: [caseRead(m.caseId, 'message', m.id)],
    });
    return presentMessage(m);
  });
}
