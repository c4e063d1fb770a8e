import { readdir, readFile } from 'node:fs/promises';
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

async function loadDir(dir: string): Promise<Playbook[]> {
  const names = (await readdir(dir)).filter((n) => /\.ya?ml$/.test(n)).sort();
  return Promise.all(names.map(async (n) => parsePlaybook(await readFile(join(dir, n), 'utf8'), join(dir, n))));
}

/**
 * Loads the shipped playbooks, then a project's own directory (EMBARGO_PLAYBOOKS_DIR) whose files
 * may replace a shipped playbook by using its id. An invalid file stops start-up with its problems
 * listed: running a security response on a half-read playbook would be worse than not starting.
 */
export async function loadPlaybooks(extraDir?: string): Promise<PlaybookRegistry> {
  const byId = new Map<string, Playbook>();
  for (const dir of [BUILTIN_PLAYBOOKS_DIR, ...(extraDir ? [extraDir] : [])]) {
    for (const pb of await loadDir(dir)) byId.set(pb.id, pb);
  }
  return {
    get(id) {
      const pb = byId.get(id);
      if (!pb) throw new DomainError('not_found', `no playbook "${id}"; known: ${[...byId.keys()].join(', ')}`);
      return pb;
    },
    list: () => [...byId.values()],
  };
}
