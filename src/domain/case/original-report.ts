/**
 * The original report (issue 13, item 4): what the reporter sent, kept on the case as it arrived.
 * The advisory's description starts empty and is the team's to write; exporting or pushing refuses
 * until it is written, so a greeting or a "please credit me as…" never becomes the public text.
 */
import { invalidInput } from '../errors.js';
import { DESCRIPTION_MAX, NAME_MAX, CONTACT_MAX, TITLE_MAX } from './limits.js';
import type { OriginalReport } from './types.js';

export interface OriginalReportInput {
  source: OriginalReport['source'];
  title: string;
  text: string;
  sender?: { name?: string | null; address: string } | null;
  sentAt?: string | null;
  messageId?: string | null;
  attachments?: readonly string[];
}

const clip = (s: string, max: number) => (s.length > max ? s.slice(0, max) : s);

/** The report to keep, checked: text and sizes only (the intake checked each field's meaning). */
export function originalReport(input: OriginalReportInput): OriginalReport {
  if (typeof input.text !== 'string' || input.text.trim() === '') throw invalidInput('the report has no text', { field: 'description' });
  if (input.text.length > DESCRIPTION_MAX)
    throw invalidInput(`the report is longer than ${DESCRIPTION_MAX} characters`, { field: 'description' });
  const sender = input.sender ?? null;
  return {
    source: input.source,
    title: clip(input.title, TITLE_MAX),
    text: input.text,
    sender: sender ? { name: sender.name ? clip(sender.name, NAME_MAX) : null, address: clip(sender.address, CONTACT_MAX) } : null,
    sentAt: input.sentAt ?? null,
    messageId: input.messageId ?? null,
    attachments: [...(input.attachments ?? [])],
  };
}
