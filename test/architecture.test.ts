/**
 * The functional core stays pure: nothing under src/domain imports another layer of Embargo or
 * reaches for I/O, and the inner layers never import the shells. Checked on every run, not hoped for.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = path.resolve(import.meta.dirname, '../src');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : [],
  );
}

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/^\s*(?:import|export)[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/gm)].map(
    (m) => (m[1] ?? m[2])!,
  );
}

/** The layer a resolved import lands in (first folder under src/), or the package name. */
function target(file: string, spec: string): string {
  if (!spec.startsWith('.')) return spec;
  const rel = path.relative(SRC, path.resolve(path.dirname(file), spec));
  return rel.split(path.sep)[0]!;
}

const RULES: Record<string, { layers: string[]; io: boolean }> = {
  domain: { layers: ['domain'], io: false },
  store: { layers: ['domain', 'store'], io: true },
  integrations: { layers: ['domain', 'integrations'], io: true },
  app: { layers: ['domain', 'store', 'integrations', 'app'], io: true },
};
const LAYERS = ['domain', 'store', 'integrations', 'app', 'server', 'cli', 'jobs'];
const IO_MODULES =
  /^(node:)?(fs|fs\/promises|child_process|net|http|https|dgram|dns|tls|worker_threads|cluster)$|^(pg|better-sqlite3|kysely|fastify|nodemailer)$/;

describe('layering', () => {
  for (const [layer, rule] of Object.entries(RULES)) {
    it(`${layer} imports only ${rule.layers.join(', ')}${rule.io ? '' : ' and does no I/O'}`, () => {
      const offences: string[] = [];
      const files = sources(path.join(SRC, layer));
      expect(files.length).toBeGreaterThan(0);
      for (const file of files) {
        for (const spec of importsOf(file)) {
          const to = target(file, spec);
          if (LAYERS.includes(to) && !rule.layers.includes(to)) offences.push(`${path.relative(SRC, file)} imports ${spec}`);
          if (!rule.io && IO_MODULES.test(spec)) offences.push(`${path.relative(SRC, file)} does I/O through ${spec}`);
        }
      }
      expect(offences).toEqual([]);
    });
  }
});
