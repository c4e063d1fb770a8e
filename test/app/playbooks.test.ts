/** The playbook registry: checked at once for a server, read on first use for the CLI's local mode. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BUILTIN_PLAYBOOKS_DIR, lazyPlaybooks, loadPlaybooks } from '../../src/app/playbooks.js';

const contour = readFileSync(join(BUILTIN_PLAYBOOKS_DIR, 'contour.yaml'), 'utf8');

describe('playbooks', () => {
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'embargo-playbooks-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('loadPlaybooks refuses an invalid file at once, with the problem and the file', async () => {
    writeFileSync(join(dir, 'broken.yaml'), 'id: broken\nsteps: 7\n');
    await expect(loadPlaybooks(dir)).rejects.toThrow(/playbook .*broken\.yaml is invalid/);
  });

  it('lazyPlaybooks reads nothing until asked, then fails every call on an invalid file', () => {
    writeFileSync(join(dir, 'broken.yaml'), 'id: broken\nsteps: 7\n');
    const registry = lazyPlaybooks(dir);
    expect(() => registry.get('contour')).toThrow(/broken\.yaml is invalid/);
    expect(() => registry.list()).toThrow(/broken\.yaml is invalid/);
  });

  it('lazyPlaybooks reads the directory on the first call: a file written after it was made is there', () => {
    const registry = lazyPlaybooks(dir);
    writeFileSync(join(dir, 'ours.yaml'), contour.replace(/^id: contour$/m, 'id: ours'));
    expect(registry.get('ours').id).toBe('ours');
    expect(
      registry
        .list()
        .map((p) => p.id)
        .sort(),
    ).toEqual(['contour', 'kubernetes', 'ours']);
    expect(() => registry.get('nope')).toThrow('no playbook "nope"; known: contour, kubernetes, ours');
  });
});
