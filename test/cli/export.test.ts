/**
 * `embargo case import`, `case show --format case`, `case edit` with the advisory options and
 * `embargo export`, as a person runs them (child processes): on a local database, offline from a
 * case file (no database at all), and against a server.
 */
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser, createApiToken } from '../../src/app/accounts.js';
import { localActor } from '../../src/app/actor.js';
import { openApp, type App } from '../../src/app/app.js';
import { configFromEnv } from '../../src/app/config.js';
import { parseCaseFile } from '../../src/domain/case-file/index.js';
import { buildServer } from '../../src/server/server.js';
import { CONTOUR_FILE } from '../domain/exports/fixtures.js';
import { validateCsafSchema, validateCveRecord, validateGhsaCreate, validateOsv } from '../domain/exports/validators.js';
import { cliWith, tempDir } from './run-cli.js';

const dirs: string[] = [];
const dir = (prefix: string) => {
  const d = tempDir(prefix);
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('case files and exports on a local database', () => {
  let cli: ReturnType<typeof cliWith>;
  let work: string;
  let caseFile: string;
  let id: string;

  beforeAll(() => {
    cli = cliWith({ EMBARGO_DATA_DIR: dir('embargo-export-db-') });
    work = dir('embargo-export-files-');
    caseFile = join(work, 'contour.yaml');
    writeFileSync(caseFile, CONTOUR_FILE);
  });

  it('case import opens a case from the file (a new id: EMB-2026-0007 does not exist here)', async () => {
    const result = await cli.json<{
      case: { id: string; title: string; revision: number; package: unknown };
      created: boolean;
      changed: string[];
    }>(['case', 'import', caseFile]);
    expect(result.created).toBe(true);
    expect(result.case.id).toMatch(/^EMB-\d{4}-0001$/);
    expect(result.case.title).toBe('Lua code injection via Cookie Path Rewrite Policy');
    expect(result.case.package).toEqual({
      ecosystem: 'Go',
      name: 'github.com/projectcontour/contour',
      repository: 'https://github.com/projectcontour/contour',
    });
    expect(result.changed).toEqual(expect.arrayContaining(['ghsaId', 'cveId', 'severity', 'credits', 'embargo', 'releasePlan']));
    id = result.case.id;
  });

  it('case show --format case writes the file back: the round trip keeps every value but the contact', async () => {
    const shown = (await cli.ok(['case', 'show', id, '--format', 'case'])).stdout;
    expect(shown).not.toContain('rosalind@hushed.example');
    const original = parseCaseFile(CONTOUR_FILE);
    const back = parseCaseFile(shown);
    const { contact: _contact, ...reporter } = original.reporter!;
    expect(back).toEqual({ ...original, id, reporter, embargo: { endsAt: '2026-04-23T17:00:00+02:00', timeZone: 'Europe/Berlin' } });
    // Importing what was shown finds nothing to change.
    const shownFile = join(work, 'shown.yaml');
    writeFileSync(shownFile, shown);
    const again = await cli.ok(['case', 'import', shownFile]);
    expect(again.stdout).toBe(`${id} already matches ${shownFile}; nothing changed.\n`);
  });

  it('export writes each format; the JSON ones are valid', async () => {
    const validators = { osv: validateOsv, cve5: validateCveRecord, csaf: validateCsafSchema, ghsa: validateGhsaCreate };
    for (const [format, validate] of Object.entries(validators)) {
      const out = await cli.ok(['export', id, '--format', format]);
      expect(validate(JSON.parse(out.stdout)), format).toEqual([]);
      expect(out.stdout, format).not.toContain('Rosalind');
    }
  });

  it('export --out writes a file only its owner can read, and says so on stderr', async () => {
    const target = join(work, 'advisory.md');
    const r = await cli.ok(['export', id.toLowerCase(), '--format', 'markdown', '--out', target]);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`Wrote the Markdown advisory of ${id} to ${target}.\n`);
    expect(readFileSync(target, 'utf8')).toMatch(
      /^# Lua code injection via Cookie Path Rewrite Policy\n[\s\S]*## Credits\n\n- An anonymous reporter\n/,
    );
    expect(statSync(target).mode & 0o777).toBe(0o600);
    const body = join(work, 'advisory.json');
    const ghsa = await cli.ok(['export', id, '--format', 'ghsa', '--out', body]);
    expect(ghsa.stderr).toBe(`Wrote the GitHub advisory request body of ${id} to ${body}.\n`);
  });

  it('case edit sets the advisory fields from options and files', async () => {
    const opened = await cli.json<{ id: string }>(['case', 'new', '--title', 'Edited through options']);
    const description = join(work, 'description.md');
    writeFileSync(description, "## Impact\n\nA tenant can read another tenant's secrets.\n");
    const edited = await cli.json<Record<string, unknown>>([
      'case',
      'edit',
      opened.id,
      '--description-file',
      description,
      '--package',
      'Maven:org.example:widget',
      '--package-repository',
      'https://github.com/example/widget',
      '--workarounds',
      'Disable the widget.',
      '--reference',
      'https://example.org/a',
      '--reference',
      'https://example.org/b',
      '--published',
      '2026-05-01',
    ]);
    expect(edited).toMatchObject({
      description: "## Impact\n\nA tenant can read another tenant's secrets.",
      package: { ecosystem: 'Maven', name: 'org.example:widget', repository: 'https://github.com/example/widget' },
      workarounds: 'Disable the widget.',
      references: ['https://example.org/a', 'https://example.org/b'],
      publishedAt: '2026-05-01T00:00:00.000Z',
    });
    const cleared = await cli.json<Record<string, unknown>>(['case', 'edit', opened.id, '--package', '', '--workarounds', '']);
    expect(cleared).toMatchObject({ package: null, workarounds: '' });
    const bad = await cli.run(['case', 'edit', opened.id, '--package', 'left-pad']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^embargo: --package "left-pad" is not ECOSYSTEM:NAME/);
  });

  it('says what a case still needs, what a format is, and what is wrong in a file', async () => {
    const bare = await cli.json<{ id: string }>(['case', 'new', '--title', 'Nothing yet']);
    const missing = await cli.run(['export', bare.id, '--format', 'osv']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(
      /^embargo: cannot export EMB-\d{4}-\d{4} as OSV: the case still needs the advisory's description.*embargo case edit EMB-\d{4}-\d{4} --description-file FILE; a package .*; affected versions/,
    );
    const format = await cli.run(['export', id, '--format', 'pdf']);
    expect(format.code).toBe(2);
    expect(format.stderr).toBe('embargo: format "pdf" is not one of osv, cve5, csaf, ghsa, md\n');
    const neither = await cli.run(['export', '--format', 'osv']);
    expect(neither.code).toBe(2);
    expect(neither.stderr).toBe('embargo: name a case id or give --from FILE (not both)\n');
    const broken = join(work, 'broken.yaml');
    writeFileSync(broken, 'title: Broken\ncwe: [XSS]\n');
    const imported = await cli.run(['case', 'import', broken]);
    expect(imported.code).toBe(2);
    expect(imported.stderr).toBe('embargo: line 2, cwe[0]: cwe "XSS" is not a CWE id like CWE-79\n');
  });
});

describe('export --from FILE (offline)', () => {
  it('exports straight from a case file without a database or a server', async () => {
    const dataDir = dir('embargo-offline-');
    const work = dir('embargo-offline-files-');
    const file = join(work, 'case.yaml');
    writeFileSync(file, CONTOUR_FILE);
    // A server that does not exist: --from must not need one.
    const offline = cliWith({ EMBARGO_DATA_DIR: dataDir, EMBARGO_SERVER: 'http://127.0.0.1:9', EMBARGO_TOKEN: 'x' });
    const csaf = await offline.ok(['export', '--from', file, '--format', 'csaf']);
    expect(validateCsafSchema(JSON.parse(csaf.stdout))).toEqual([]);
    const osv = JSON.parse((await offline.ok(['export', '--from', '-', '--format', 'osv'], { input: CONTOUR_FILE })).stdout);
    expect(osv.id).toBe('GHSA-x4mj-7f9g-29h4');
    expect(validateOsv(osv)).toEqual([]);
    expect(readdirSync(dataDir)).toEqual([]);
    const missingFile = await offline.run(['export', '--from', join(work, 'nope.yaml'), '--format', 'osv']);
    expect(missingFile.code).toBe(2);
    expect(missingFile.stderr).toBe(`embargo: --from ${join(work, 'nope.yaml')}: no such file\n`);
    expect(existsSync(join(dataDir, 'embargo.db'))).toBe(false);
  });
});

describe('case files and exports through a server (--server)', () => {
  let app: App;
  let server: Awaited<ReturnType<typeof buildServer>>;
  let cli: ReturnType<typeof cliWith>;
  let cliDir: string;

  beforeAll(async () => {
    app = await openApp(configFromEnv({ EMBARGO_DATA_DIR: dir('embargo-export-server-') }));
    await addUser(app, null, { username: 'alice', password: 'correct horse battery staple', role: 'member' });
    const token = (await createApiToken(app, localActor('test'), { name: 'cli', username: 'alice' })).token;
    server = await buildServer(app, { logger: false });
    await server.listen({ host: '127.0.0.1', port: 0 });
    cliDir = dir('embargo-export-remote-cli-');
    cli = cliWith({
      EMBARGO_DATA_DIR: cliDir,
      EMBARGO_SERVER: `http://127.0.0.1:${(server.server.address() as AddressInfo).port}`,
      EMBARGO_TOKEN: token,
    });
  });
  afterAll(async () => {
    await server?.close();
    await app?.store.close();
  });

  it('imports a file, shows it as a case file and exports Markdown and JSON through the API', async () => {
    const imported = await cli.ok(['case', 'import', '-'], { input: CONTOUR_FILE });
    const id = /Opened (EMB-\d{4}-\d{4})/.exec(imported.stdout)?.[1];
    expect(id).toBeDefined();
    const file = (await cli.ok(['case', 'show', id!, '--format', 'case'])).stdout;
    expect(parseCaseFile(file).cve).toBe('CVE-2026-41246');
    expect(file).not.toContain('rosalind@hushed.example');
    const md = (await cli.ok(['export', id!, '--format', 'md'])).stdout;
    expect(md).toContain('| 1.32 | `>= 1.32.0, < 1.32.5` | 1.32.5 |');
    const ghsa = JSON.parse((await cli.ok(['export', id!, '--format', 'ghsa'])).stdout);
    expect(validateGhsaCreate(ghsa)).toEqual([]);
    const refused = await cli.run(['export', 'EMB-2026-0999', '--format', 'osv']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe('embargo: case EMB-2026-0999 not found\n');
    expect(readdirSync(cliDir)).toEqual([]);
  });
});
