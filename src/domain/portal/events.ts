/**
 * The events of the reporter's portal: links issued and revoked (never the secret: whoever reads the
 * log must not be able to open the portal) and the reporter's replies (that they wrote, not what).
 */
import { event, type EventOf } from '../events.js';

export const portalLinkCreated = (
  caseId: string,
  linkId: string,
  expiresAt: string | null,
  replaced: number,
): EventOf<'portal.link-created'> => event('portal.link-created', caseId, { linkId, expiresAt, replaced });

export const portalLinkRevoked = (caseId: string, linkId: string | null): EventOf<'portal.link-revoked'> =>
  event('portal.link-revoked', caseId, { linkId });

export const reporterReplied = (caseId: string, replyId: string, characters: number): EventOf<'reporter.replied'> =>
  event('reporter.replied', caseId, { replyId, characters });
