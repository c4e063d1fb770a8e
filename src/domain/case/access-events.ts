/**
 * The events of need-to-know: who was put on or taken off a case's access list, and every read of
 * embargoed details. Built here so the log's wording is decided in the domain, not in each use case.
 */
import { event, type EventOf, type ReportReceived } from '../events.js';

/** Why a person is on the list without an admin granting it: they opened or imported the case. */
export type AccessReason = 'opened the case' | 'imported the report' | 'imported the case file';

export const accessGranted = (caseId: string, user: string, reason?: AccessReason): EventOf<'access.granted'> =>
  event('access.granted', caseId, reason === undefined ? { user } : { user, reason });

export const accessRevoked = (caseId: string, user: string): EventOf<'access.revoked'> => event('access.revoked', caseId, { user });

/** A read of embargoed details (which part; which message, for a message read). */
export const caseRead = (caseId: string | null, what: string, messageId?: string): EventOf<'case.read'> =>
  event('case.read', caseId, messageId === undefined ? { what } : { what, messageId });

/** How a report arrived (the form or a mail); never the reporter's name or contact. */
export const reportReceived = (caseId: string, received: ReportReceived): EventOf<'report.received'> =>
  event('report.received', caseId, received);
