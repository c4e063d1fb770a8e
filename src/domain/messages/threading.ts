/**
 * Mails to the reporter answer their report (issue 13, item 8): their subjects say "Re:", and their
 * headers thread them under the report's Message-ID so the reporter's mail client shows one
 * conversation. Pure: the id comes from the case's original report.
 */
import type { Audience } from './types.js';

/** A Message-ID as a header carries it: one `<id>`, angle brackets added if the stored one lacks them. */
function bracketed(id: string): string | null {
  const bare = id.trim().replace(/^<|>$/g, '');
  if (bare === '' || /[\s<>]/.test(bare)) return null;
  return `<${bare}>`;
}

/** In-Reply-To and References for a mail to `audience`; none for the lists, or without a usable id. */
export function threadHeaders(audience: Audience, reportMessageId: string | null | undefined): Record<string, string> {
  if (audience !== 'reporter' || !reportMessageId) return {};
  const id = bracketed(reportMessageId);
  return id ? { 'In-Reply-To': id, References: id } : {};
}
