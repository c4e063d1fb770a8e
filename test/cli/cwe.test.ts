/** `embargo cwe show|search`: offline lookups with MITRE's attribution, exit codes, JSON shapes. */
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, tempDir } from './run-cli.js';

const dir = tempDir();
afterAll(() => rmSync(dir, { recursive: true, force: true }));
// Any attempt to reach a database or server would fail here (or leave files in `dir`).
const env = { EMBARGO_DATA_DIR: join(dir, 'data'), DATABASE_URL: 'postgres://nobody:nothing@127.0.0.1:1/none' };
const cwe = (args: string[]) => runCli(['cwe', ...args], { env });

const COPYRIGHT =
  'Copyright © 2006–2025, The MITRE Corporation. CWE, CWSS, CWRAF, and the CWE logo are trademarks of The MITRE Corporation.';

describe('embargo cwe show', () => {
  it("prints the weakness, its usage advice, link and MITRE's attribution", async () => {
    const r = await cwe(['show', 'CWE-79']);
    expect([r.code, r.stderr]).toEqual([0, '']);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe("CWE-79  Improper Neutralization of Input During Web Page Generation ('Cross-site Scripting')");
    expect(r.stdout).toContain('  status       Stable\n');
    expect(r.stdout).toContain('  usage        Allowed — may be used to map a vulnerability\n');
    expect(r.stdout).toContain('  other names  XSS, HTML Injection, CSS\n');
    expect(r.stdout).toContain('  description  The product does not neutralize or incorrectly neutralizes user-controllable input');
    expect(r.stdout).toContain('  link         https://cwe.mitre.org/data/definitions/79.html\n');
    expect(r.stdout.replace(/\s+/g, ' ')).toContain(COPYRIGHT);
    expect(r.stdout).toContain('CWE 4.17');
    expect(readdirSync(dir)).toEqual([]);
  });

  it('--json gives the entry with url, catalogue and the MITRE source', async () => {
    const r = await cwe(['show', '20', '--json']);
    expect(r.code).toBe(0);
    const body = JSON.parse(r.stdout);
    expect(body).toMatchObject({
      id: 'CWE-20',
      name: 'Improper Input Validation',
      status: 'Stable',
      usage: 'Discouraged',
      url: 'https://cwe.mitre.org/data/definitions/20.html',
    });
    expect(body.catalogue).toEqual({ version: '4.17', date: '2025-04-03', descriptionsFrom: { version: '4.15', date: '2024-07-16' } });
    expect(body.source).toMatchObject({
      publisher: 'The MITRE Corporation',
      notice: 'CWE™ is a trademark of The MITRE Corporation.',
      copyright: COPYRIGHT,
    });
    expect(body.source.license).toMatch(/reproduce MITRE's copyright designation and this license/);
  });

  it("names MITRE's suggested alternatives for a discouraged mapping (issue 13, item 13)", async () => {
    const r = await cwe(['show', 'CWE-284']);
    expect(r.stdout).toMatch(/\n {2}instead +CWE-862 Missing Authorization; CWE-863 Incorrect Authorization; CWE-732 /);
    expect((await cwe(['show', 'CWE-79'])).stdout).not.toContain('instead');
  });

  it('says when a weakness is unknown (exit 1) or the id malformed (exit 2)', async () => {
    const unknown = await cwe(['show', 'CWE-16']);
    expect([unknown.code, unknown.stdout]).toEqual([1, '']);
    expect(unknown.stderr).toBe(
      'embargo: CWE-16 is not a weakness in the CWE 4.17 catalogue (categories and views are not weaknesses; search by name with "cwe search")\n',
    );
    const bad = await cwe(['show', 'XSS']);
    expect([bad.code, bad.stderr]).toEqual([2, 'embargo: "XSS" is not a CWE id like CWE-79\n']);
  });
});

describe('embargo cwe search', () => {
  it('lists the best matches first with their usage, then the attribution', async () => {
    const r = await cwe(['search', 'path', 'traversal', '--limit', '3']);
    expect([r.code, r.stderr]).toEqual([0, '']);
    const lines = r.stdout.split('\n');
    expect(lines.slice(0, 4)).toEqual([
      'ID      USAGE    NAME',
      "CWE-22  Allowed  Improper Limitation of a Pathname to a Restricted Directory ('Path Traversal')",
      "CWE-24  Allowed  Path Traversal: '../filedir'",
      "CWE-25  Allowed  Path Traversal: '/../filedir'",
    ]);
    expect(r.stdout.replace(/\s+/g, ' ')).toContain(COPYRIGHT);
  });

  it('--json gives {query, results, catalogue, source}', async () => {
    const r = await cwe(['search', 'xss', '--json']);
    expect(r.code).toBe(0);
    const body = JSON.parse(r.stdout);
    expect(Object.keys(body)).toEqual(['query', 'results', 'catalogue', 'source']);
    expect(body.query).toBe('xss');
    expect(body.results[0]).toMatchObject({ id: 'CWE-79', match: 'term', url: 'https://cwe.mitre.org/data/definitions/79.html' });
    expect(body.results.length).toBeLessThanOrEqual(10);
    expect(body.source.copyright).toBe(COPYRIGHT);
  });

  it('says when nothing matches (exit 0), and refuses a bad --limit (exit 2)', async () => {
    const none = await cwe(['search', 'zzqxv']);
    expect(none.code).toBe(0);
    expect(none.stdout.split('\n')[0]).toBe('no weakness in CWE 4.17 matches "zzqxv"');
    for (const limit of ['101', 'ten']) {
      const r = await runCli(['cwe', 'search', 'xss', `--limit=${limit}`], { env });
      expect(r.code, limit).toBe(2);
      expect(r.stderr, limit).toMatch(
        /^embargo: (--limit must be a whole number from 1 to 100, not "[^"]+"|limit must be a whole number from 1 to 100)\n$/,
      );
    }
    const missing = await cwe(['search']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/missing required argument 'text'/);
  });
});
