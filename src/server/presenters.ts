/**
 * Answers that are not the domain's own shapes. The response schemas decide which fields go out;
 * a presenter builds a smaller shape on purpose: a case list never carries embargoed details.
 */
import { caseSummary } from '../domain/case/index.js';

/** A case list's entry: the summary's fields only, whatever the list was given. */
export const presentCaseSummary = caseSummary;
