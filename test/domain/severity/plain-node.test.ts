/**
 * ae-cvss-calculator is a CommonJS webpack bundle: named ESM imports of it pass under vitest (which
 * transforms modules) but throw under plain node. This runs the adapter the way the CLI and server
 * run — node with tsx, no vitest — and shows that the control (a named import) really fails there.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));

function node(args: string[]) {
  const r = spawnSync(process.execPath, args, { cwd: REPO, encoding: 'utf8', timeout: 30_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('the CVSS adapter under plain node', () => {
  it('scores 3.0, 3.1 and 4.0 vectors and builds CVSS-JSON through the default-export import', () => {
    const script = `
      const { scoreCvss, cvssJson } = await import('./src/domain/severity/cvss.ts');
      const out = ['CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/MAV:L', 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:P',
        'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:U'].map((v) => [scoreCvss(v).score, cvssJson(v).baseScore]);
      console.log(JSON.stringify(out));`;
    const r = node(['--import', 'tsx', '--input-type=module', '-e', script]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual([
      [8.4, 9.8],
      [9.3, 9.8],
      [8.1, 8.1],
    ]);
  });

  it('(control) a named import of the library does throw under plain node', () => {
    const r = node(['--input-type=module', '-e', "import { Cvss3P1 } from 'ae-cvss-calculator'; console.log(typeof Cvss3P1);"]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/Named export 'Cvss3P1' not found/);
  });

  it('no other source file imports the library', async () => {
    const { readdirSync, readFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const importers: string[] = [];
    const walk = (dir: string) => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        const p = join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else if (/\.(ts|js|tsx)$/.test(e.name) && /(from|import\(|require\()\s*['"]ae-cvss-calculator['"]/.test(readFileSync(p, 'utf8')))
          importers.push(p.slice(REPO.length));
      }
    };
    walk(join(REPO, 'src'));
    expect(importers).toEqual(['src/domain/severity/cvss.ts']);
  });
});
