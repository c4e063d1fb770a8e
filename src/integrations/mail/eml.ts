/**
 * A report that arrived as a mail on the private list, read from its raw RFC 822 text (an .eml
 * file saved from the list archive or a mail client). No I/O: the caller reads the file.
 */
import { simpleParser, type AddressObject } from 'mailparser';
import { DESCRIPTION_MAX } from '../../domain/case/limits.js';
import { invalidInput } from '../../domain/errors.js';

export interface ReportMail {
  /** The Subject header, trimmed ("" when there is none). */
  subject: string;
  /** The plain-text body; an HTML-only mail is converted to text. */
  text: string;
  /** The first From address. */
  from: { name: string | null; address: string } | null;
  /** The Date header, when it parses. */
  date: Date | null;
  /** The Message-ID header as written, e.g. <abc@example.org>. */
  messageId: string | null;
  /** Attachments are not imported; their names are listed so a person can fetch them. */
  attachments: { filename: string; contentType: string; size: number }[];
}

/** Mails above this size are not reports but archives; refusing them keeps the parser's memory bounded. */
export const MAX_MAIL_BYTES = 25 * 1024 * 1024;

function firstAddress(from: AddressObject | AddressObject[] | undefined): ReportMail['from'] {
  const list = Array.isArray(from) ? from : from ? [from] : [];
  for (const group of list) {
    for (const a of group.value) {
      if (a.address) return { name: a.name?.trim() || null, address: a.address };
    }
  }
  return null;
}

/** Parses a raw mail; throws invalid_input with a sentence when the bytes are not a mail. */
export async function parseReportMail(raw: Buffer): Promise<ReportMail> {
  if (raw.length === 0) throw invalidInput('not a mail: the file is empty');
  if (raw.length > MAX_MAIL_BYTES) throw invalidInput(`not a report mail: it is larger than ${MAX_MAIL_BYTES / 1024 / 1024} MB`);
  let parsed: Awaited<ReturnType<typeof simpleParser>>;
  try {
    parsed = await simpleParser(raw, { skipImageLinks: true });
  } catch (err) {
    throw invalidInput(`not a mail: ${(err as Error).message}`);
  }
  // The parser accepts any bytes; a mail starts with headers, and a report needs at least a sender or a subject.
  if (parsed.headers.size === 0) throw invalidInput('not a mail: no headers found');
  const from = firstAddress(parsed.from);
  const subject = (parsed.subject ?? '').replace(/\s+/g, ' ').trim();
  if (!from && subject === '') throw invalidInput('not a mail: it has neither a From nor a Subject header');
  const date = parsed.date && !Number.isNaN(parsed.date.getTime()) ? parsed.date : null;
  return {
    subject,
    text: (parsed.text ?? '').replace(/\r\n?/g, '\n').trim(),
    from,
    date,
    messageId: parsed.messageId?.trim() || null,
    attachments: parsed.attachments
      .filter((a) => a.contentDisposition !== 'inline' || a.filename)
      .map((a) => ({ filename: a.filename ?? '(unnamed)', contentType: a.contentType, size: a.size })),
  };
}

/**
 * The original report's text: the mail's, cut where a case's text ends (saying so in the text, and
 * `cut` true, so the caller can warn).
 */
export function reportTextOf(mail: ReportMail): { text: string; cut: boolean } {
  const text = mail.text || '(the mail has no text; see the original mail)';
  if (text.length <= DESCRIPTION_MAX) return { text, cut: false };
  const note = `\n\n[… cut: the mail's text is ${text.length} characters long; the rest is in the original mail]`;
  return { text: text.slice(0, DESCRIPTION_MAX - note.length) + note, cut: true };
}
