/**
 * The reference CVSS vectors in ../shared/data/cvss (RedHatProductSecurity/cvss test data, see
 * ../shared/data/SOURCES.md): `VECTOR - (base, temporal, environmental)` for 3.x,
 * `VECTOR - (score,)` for 4.0.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const CVSS_DATA_DIR = fileURLToPath(new URL('../../../../shared/data/cvss/', import.meta.url));
export const SCHEMA_DIR = fileURLToPath(new URL('../../../../shared/data/schemas/', import.meta.url));

export interface ReferenceVector {
  file: string;
  vector: string;
  /** 3.x: [base, temporal, environmental]; 4.0: [score]. */
  scores: number[];
}

export function referenceVectors(): ReferenceVector[] {
  const all: ReferenceVector[] = [];
  for (const file of readdirSync(CVSS_DATA_DIR).sort()) {
    const lines = readFileSync(CVSS_DATA_DIR + file, 'utf8').split('\n');
    for (const [i, raw] of lines.entries()) {
      const line = raw.trim();
      if (line === '') continue;
      const m = /^(CVSS:\S+) - \(([^)]*)\)$/.exec(line);
      if (!m) throw new Error(`${file}:${i + 1}: unexpected line ${line}`);
      const scores = m[2]!
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
        .map(Number);
      all.push({ file, vector: m[1]!, scores });
    }
  }
  return all;
}

/**
 * The same 3.x vector with every environmental metric the vector leaves out spelled as its base
 * value (MAV = AV, …, MA = A): by the specification the same vector, but one whose environmental
 * score the library computes. The reference data lists that score for every vector, including
 * base-only ones — and in CVSS 3.1 it differs from the base score for 80 of the scope-changed
 * vectors (3.1's modified-impact formula for MS:C is not the base formula), so the third figure
 * is not simply a copy of the first.
 */
export function withDefaultEnvironment(vector: string): string {
  const parts = Object.fromEntries(
    vector
      .split('/')
      .slice(1)
      .map((p) => p.split(':') as [string, string]),
  );
  const missing = ['AV', 'AC', 'PR', 'UI', 'S', 'C', 'I', 'A'].filter((k) => !(`M${k}` in parts));
  return vector + missing.map((k) => `/M${k}:${parts[k]}`).join('');
}
