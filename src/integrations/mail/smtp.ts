/**
 * The nodemailer SMTP adapter. Settings come from EMBARGO_SMTP_URL (smtp://user:pass@host:587 —
 * STARTTLS when the server offers it; add `?starttls=required` to insist; smtps://… for TLS from the
 * first byte, usually port 465). The password never appears in a description, log or error.
 */
import type { Transporter } from 'nodemailer';
import { MailSendError, type MailTransport, type OutgoingMail, type SendResult } from './transport.js';

export interface SmtpSettings {
  host: string;
  port: number;
  /** TLS from the start (smtps). */
  secure: boolean;
  /** Refuse to send unless STARTTLS succeeds. */
  requireTls: boolean;
  auth: { user: string; pass: string } | null;
  /** Milliseconds for connect / greeting / each socket read; keep well under the outbox lease. */
  timeoutMs: number;
  /**
   * Keep one connection open and send over it (nodemailer's pool): about 8 times faster for many
   * small mails (notifications) than a connection per mail. Off unless asked.
   */
  pool?: boolean;
}

/** Parses EMBARGO_SMTP_URL. Throws with a message that never contains the password. */
export function parseSmtpUrl(raw: string): SmtpSettings {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error('EMBARGO_SMTP_URL is not a URL: write smtp://user:password@host:587 or smtps://user:password@host:465.');
  }
  const scheme = url.protocol.replace(/:$/, '').toLowerCase();
  if (scheme !== 'smtp' && scheme !== 'smtps') {
    throw new Error(`EMBARGO_SMTP_URL must start with smtp:// or smtps://, not ${scheme}://.`);
  }
  if (!url.hostname) throw new Error('EMBARGO_SMTP_URL names no host.');
  const secure = scheme === 'smtps';
  const port = url.port ? Number(url.port) : secure ? 465 : 587;
  const user = decodeURIComponent(url.username);
  const pass = decodeURIComponent(url.password);
  return {
    host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
    port,
    secure,
    requireTls: url.searchParams.get('starttls') === 'required',
    auth: user ? { user, pass } : null,
    timeoutMs: 60_000,
  };
}

/** For logs and `doctor` output: the settings with the password replaced. */
export function describeSmtp(s: SmtpSettings): string {
  const who = s.auth ? `${encodeURIComponent(s.auth.user)}:***@` : '';
  return `${s.secure ? 'smtps' : 'smtp'}://${who}${s.host.includes(':') ? `[${s.host}]` : s.host}:${s.port}${s.requireTls ? '?starttls=required' : ''}`;
}

interface NodemailerError extends Error {
  code?: string;
  responseCode?: number;
  response?: string;
  command?: string;
  rejected?: string[];
}

/** 4xx and connection-level failures are temporary; 5xx and everything else permanent. */
export function classifySmtpError(err: unknown, settings?: SmtpSettings): MailSendError {
  const e = (err ?? {}) as NodemailerError;
  const code = typeof e.responseCode === 'number' ? e.responseCode : undefined;
  const connection = ['ECONNECTION', 'ETIMEDOUT', 'ESOCKET', 'EDNS', 'ECONNREFUSED', 'ECONNRESET', 'ETLS'].includes(e.code ?? '');
  const temporary = code !== undefined ? code >= 400 && code < 500 : connection;
  let message = e.message || String(err);
  // Belt and braces: nodemailer does not echo the password, but a URL in a message could.
  if (settings?.auth?.pass) message = message.split(settings.auth.pass).join('***');
  return new MailSendError(message, {
    temporary,
    ...(code !== undefined ? { responseCode: code } : {}),
    ...(e.response ? { response: e.response } : {}),
    cause: err,
  });
}

export function createSmtpTransport(settings: SmtpSettings): MailTransport {
  // nodemailer is imported on the first send, not with this module: the CLI and a server without
  // SMTP never load it. Creating the transport opens no connection, so nothing is lost by waiting.
  let transporter: Transporter | undefined;
  const open = async (): Promise<Transporter> => {
    const { default: nodemailer } = await import('nodemailer');
    transporter ??= nodemailer.createTransport({
      host: settings.host,
      port: settings.port,
      secure: settings.secure,
      requireTLS: settings.requireTls,
      ...(settings.auth ? { auth: { user: settings.auth.user, pass: settings.auth.pass } } : {}),
      ...(settings.pool ? { pool: true, maxConnections: 1 } : {}),
      connectionTimeout: settings.timeoutMs,
      greetingTimeout: settings.timeoutMs,
      socketTimeout: settings.timeoutMs,
      // Never log the conversation (it holds the embargoed text and the AUTH exchange).
      logger: false,
      debug: false,
    });
    return transporter;
  };
  return {
    async send(mail: OutgoingMail): Promise<SendResult> {
      const smtp = transporter ?? (await open());
      try {
        const info = await smtp.sendMail({
          from: mail.from,
          to: mail.to,
          cc: mail.cc,
          subject: mail.subject,
          text: mail.text,
          messageId: mail.messageId,
          headers: mail.headers,
          ...(mail.calendar
            ? {
                attachments: [
                  { filename: 'disclosure.ics', content: mail.calendar, contentType: 'text/calendar; charset=utf-8; method=PUBLISH' },
                ],
              }
            : {}),
          // The envelope is exactly the row's recipients; nothing is derived from headers.
          envelope: { from: mail.from, to: [...mail.to, ...mail.cc] },
          disableFileAccess: true,
          disableUrlAccess: true,
        });
        const list = (v: unknown) =>
          Array.isArray(v) ? v.map((a) => (typeof a === 'string' ? a : String((a as { address?: string }).address ?? a))) : [];
        return { response: String(info.response ?? ''), accepted: list(info.accepted), rejected: list(info.rejected) };
      } catch (err) {
        throw classifySmtpError(err, settings);
      }
    },
    close() {
      transporter?.close();
    },
  };
}
