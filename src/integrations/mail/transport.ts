/**
 * What the outbox worker needs from a mail system: send one message, say what the server answered,
 * and say whether a failure is worth retrying. The nodemailer SMTP adapter is in ./smtp.ts; tests
 * can bring their own.
 */

export interface OutgoingMail {
  from: string;
  /** Envelope and header recipients are exactly these (no Bcc). */
  to: string[];
  cc: string[];
  subject: string;
  text: string;
  /** `<…@…>`; the same on every attempt of one outbox message. */
  messageId: string;
  headers: Record<string, string>;
  /** An iCalendar text, attached as disclosure.ics (text/calendar). */
  calendar?: string | null;
}

export interface SendResult {
  /** The server's final reply, e.g. `250 2.0.0 OK: queued as …`. */
  response: string;
  accepted: string[];
  rejected: string[];
}

/**
 * A failed send. `temporary`: the server said 4xx, or the connection failed; nothing was accepted
 * and a later attempt may work. Otherwise permanent (5xx, a bad address, bad credentials).
 */
export class MailSendError extends Error {
  readonly temporary: boolean;
  readonly responseCode: number | undefined;
  readonly response: string | undefined;
  constructor(message: string, opts: { temporary: boolean; responseCode?: number; response?: string; cause?: unknown }) {
    super(message, { cause: opts.cause });
    this.name = 'MailSendError';
    this.temporary = opts.temporary;
    this.responseCode = opts.responseCode;
    this.response = opts.response;
  }
}

export interface MailTransport {
  /** Resolves when the server accepted the message for at least one recipient; else throws MailSendError. */
  send(mail: OutgoingMail): Promise<SendResult>;
  close(): void;
}
