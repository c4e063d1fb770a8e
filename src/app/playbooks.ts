import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DomainError } from '../domain/errors.js';
import { parsePlaybook, type Playbook } from '../domain/playbook/index.js';

/** The playbooks shipped with Embargo; src/app and dist/app are both two levels below the root. */
export const BUILTIN_PLAYBOOKS_DIR = fileURLToPath(new URL('../../playbooks/', import.meta.url));

export interface PlaybookRegistry {
  get(id: string): Playbook;
  list(): Playbook[];
}

function loadDir(dir: string): Playbook[] {
  const names = readdirSync(dir)
    .filter((n) => /\.ya?ml$/.test(n))
    .sort();
  return names.map((n) => parsePlaybook(readFileSync(join(dir, n), 'utf8'), join(dir, n)));
}

/**
 * The shipped playbooks, then a project's own directory (EMBARGO_PLAYBOOKS_DIR) whose files may
 * replace a shipped playbook by using its id, read and checked on the first `get` or `list` (the
 * CLI's local mode: most commands read no playbook). An invalid file fails that call, and every
 * later one, with its problems listed.
 */
export function lazyPlaybooks(extraDir?: string): PlaybookRegistry {
  let byId: Map<string, Playbook> | undefined;
  const all = (): Map<string, Playbook> => {
    if (byId) return byId;
    const loaded = new Map<string, Playbook>();
    for (const dir of [BUILTIN_PLAYBOOKS_DIR, ...(extraDir ? [extraDir] : [])]) {
      for (const pb of loadDir(dir)) loaded.set(pb.id, pb);
    }
    byId = loaded;
    return byId;
  };
  return {
    get(id) {
      const pb = all().get(id);
      if (!pb) throw new DomainError('not_found', `no playbook "${id}"; known: ${[...all().keys()].join(', ')}`);
      return pb;
    },
    list: () => [...all().values()],
  };
}

/**
 * The playbooks read and checked now: an invalid file stops start-up with its problems listed:
 * running a security response on a half-read playbook would be worse than not starting.
 */
export async function loadPlaybooks(extraDir?: string): Promise<PlaybookRegistry> {
  const registry = lazyPlaybooks(extraDir);
  registry.list();
  return registry;
}
