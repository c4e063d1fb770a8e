import type { Case, CommandContext } from './types.js';

/** Every command ends with this: the next revision of the case, stamped with the command's time. */
export function revise(c: Case, ctx: CommandContext, changes: Partial<Case>): Case {
  return { ...c, ...changes, updatedAt: ctx.now.toISOString(), revision: c.revision + 1 };
}
