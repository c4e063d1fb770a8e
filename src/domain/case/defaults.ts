import type { Case } from './types.js';

type AdvisoryFields = Pick<Case, 'description' | 'package' | 'workarounds' | 'references' | 'credits' | 'publishedAt'>;
/** Fields added after the first cases were stored (the advisory fields, the case's mails). */
type LaterFields = AdvisoryFields & Pick<Case, 'messages'>;

/** The fields added after the first cases were stored, as a new case starts with them. */
export function advisoryDefaults(): LaterFields {
  return { description: '', package: null, workarounds: '', references: [], credits: [], publishedAt: null, messages: [] };
}

/**
 * A stored case as the current code expects it: cases saved before a field existed lack its key,
 * so reading fills each missing key with the value a new case would have. Keys that are present
 * (even null or empty) are kept as they are.
 */
export function withDefaults(stored: Case): Case {
  const c = stored as Partial<LaterFields> & Omit<Case, keyof LaterFields>;
  const d = advisoryDefaults();
  return {
    ...c,
    description: c.description ?? d.description,
    package: c.package === undefined ? d.package : c.package,
    workarounds: c.workarounds ?? d.workarounds,
    references: c.references ?? d.references,
    credits: c.credits ?? d.credits,
    publishedAt: c.publishedAt === undefined ? d.publishedAt : c.publishedAt,
    messages: c.messages ?? d.messages,
  };
}
