/**
 * `embargo cvss`: every reference vector through the real CLI in one process (stdin → NDJSON),
 * each kind of malformed vector refused with its message, exit codes, human output, streaming,
 * and no database or server touched.
 */
import { spawn } from 'node:child_process';
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { referenceVectors, withDefaultEnvironment } from '../domain/severity/vectors.js';
import { REPO, runCli, tempDir } from './run-cli.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** An environment in which touching the database or a server would fail or leave a trace. */
function offlineEnv() {
  const dir = tempDir();
  dirs.push(dir);
  return { dir, env: { EMBARGO_DATA_DIR: join(dir, 'data') } };
}

const KEYS = ['version', 'vector', 'baseScore', 'temporalScore', 'environmentalScore', 'score', 'severity', 'nomenclature'];
const V31 = 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H';
const V40 = 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N';

describe('embargo cvss over the reference vectors', () => {
  it('gives exactly the listed scores for every vector, in one process, one NDJSON line each', async () => {
    const vectors = referenceVectors();
    // 3.x vectors without environmental metrics also go in with them spelled out (same vector by
    // the spec), since the data lists an environmental score for every vector.
    const spelled = vectors.filter((v) => !v.vector.startsWith('CVSS:4.0') && !/\/(CR|IR|AR|M[A-Z]+):/.test(v.vector));
    const input = `${[...vectors.map((v) => v.vector), ...spelled.map((v) => withDefaultEnvironment(v.vector))].join('\n')}\n`;
    const { env } = offlineEnv();
    const r = await runCli(['cvss', '--json'], { env, input, timeoutMs: 120_000 });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = r.stdout
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.length).toBe(vectors.length + spelled.length);
    const spelledEnv = new Map(spelled.map((v, i) => [v.vector, lines[vectors.length + i]!.environmentalScore]));
    const wrong: string[] = [];
    vectors.forEach((v, i) => {
      const o = lines[i]!;
      if (Object.keys(o).join() !== KEYS.join()) wrong.push(`${v.vector}: keys ${Object.keys(o).join()}`);
      if (o.vector !== v.vector) wrong.push(`line ${i + 1}: ${o.vector} is not ${v.vector}`);
      const got =
        o.version === '4.0' ? [o.score] : [o.baseScore, o.temporalScore ?? o.baseScore, o.environmentalScore ?? spelledEnv.get(v.vector)];
      if (JSON.stringify(got) !== JSON.stringify(v.scores))
        wrong.push(`${v.file}: ${v.vector} listed ${v.scores.join(', ')}, got ${got.join(', ')}`);
    });
    expect(wrong).toEqual([]);
  });
});

describe('embargo cvss VECTOR', () => {
  const { env } = offlineEnv();

  it('prints the score, severity, vector and the parts for people', async () => {
    const r = await runCli(['cvss', `${V31}/E:P/MAV:L`], { env });
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(r.stdout).toBe(`7.9 HIGH  ${V31}/E:P/MAV:L  (base 9.8, temporal 9.3, environmental 7.9)\n`);
    const v4 = await runCli(['cvss', `${V40}/E:U`], { env });
    expect(v4.stdout).toBe(`8.1 HIGH  ${V40}/E:U  (CVSS-BT, base 9.3, threat 8.1, environmental —)\n`);
  });

  it('prints exactly the documented keys with --json', async () => {
    const r = await runCli(['cvss', V40, '--json'], { env });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      `${JSON.stringify({ version: '4.0', vector: V40, baseScore: 9.3, temporalScore: null, environmentalScore: null, score: 9.3, severity: 'CRITICAL', nomenclature: 'CVSS-B' })}\n`,
    );
  });

  const malformed: [string, string, RegExp][] = [
    ['missing base metric', 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H', /is missing base metric A \(Availability\)/],
    ['duplicate metric', `${V31}/C:L`, /gives metric C \(Confidentiality\) more than once/],
    ['unknown metric', `${V31}/ZZ:H`, /has an unknown metric "ZZ" for CVSS 3\.1/],
    ['unknown value', V31.replace('PR:N', 'PR:Q'), /has an unknown value "Q" for metric PR \(Privileges Required\); allowed: N, L, H/],
    [
      '4.0 out of order',
      'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VI:H/VC:H/VA:H/SC:N/SI:N/SA:N',
      /lists VC after VI, but CVSS 4\.0 metrics must follow the specification's order/,
    ],
    ['bad prefix', 'AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', /is not a CVSS 3\.x or 4\.0 vector: it must start with CVSS:3\.1\//],
    ['bad version', 'CVSS:5.0/AV:N', /has CVSS version "5\.0", which Embargo does not score/],
  ];
  it('refuses each kind of malformed vector with its reason (exit 1), as a line of NDJSON or on stderr', async () => {
    const batch = await runCli(['cvss', '--json'], { env, input: malformed.map(([, v]) => v).join('\n') });
    expect(batch.code).toBe(1);
    expect(batch.stderr).toBe(`embargo: ${malformed.length} invalid CVSS vectors out of ${malformed.length}\n`);
    const lines = batch.stdout
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as { vector: string; error: string });
    expect(lines).toHaveLength(malformed.length);
    malformed.forEach(([kind, vector, message], i) => {
      expect(Object.keys(lines[i]!), kind).toEqual(['vector', 'error']);
      expect(lines[i]!.vector, kind).toBe(vector);
      expect(lines[i]!.error, kind).toMatch(message);
    });

    // One vector as an argument: the reason on stderr for people, {vector, error} with --json.
    const [, vector, message] = malformed[3]!;
    const r = await runCli(['cvss', vector], { env });
    expect([r.code, r.stdout]).toEqual([1, '']);
    expect(r.stderr.startsWith('embargo: ')).toBe(true);
    expect(r.stderr.slice('embargo: '.length).trimEnd()).toMatch(message);
    // An empty argument (blank lines on stdin are skipped instead).
    const j = await runCli(['cvss', '   ', '--json'], { env });
    expect(j.code).toBe(1);
    expect(JSON.parse(j.stdout)).toEqual({ vector: '', error: 'the CVSS vector is empty' });
  });

  it('exit 2 for usage mistakes', async () => {
    const extra = await runCli(['cvss', V31, V40], { env });
    expect(extra.code).toBe(2);
    expect(extra.stderr).toMatch(/^embargo: too many arguments for 'cvss'/);
    const option = await runCli(['cvss', V31, '--pretty'], { env });
    expect(option.code).toBe(2);
    expect(option.stderr).toBe("embargo: unknown option '--pretty'\n");
  });
});

describe('embargo cvss from stdin', () => {
  const { dir, env } = offlineEnv();

  it('writes one result per line in order, skips blank lines, and exits 1 with a count if any was invalid', async () => {
    const input = [V31, '', `  ${V40}/E:U  `, 'CVSS:3.1/AV:N', `${V31}/E:P`, 'nonsense'].join('\r\n');
    const r = await runCli(['cvss', '-', '--json'], { env, input });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('embargo: 2 invalid CVSS vectors out of 5\n');
    const lines = r.stdout
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.map((l) => l.error ?? l.score)).toEqual([
      9.8,
      8.1,
      expect.stringMatching(/missing base metrics AC/),
      9.3,
      expect.stringMatching(/must start with CVSS:/),
    ]);
    expect(lines[1]!.vector).toBe(`${V40}/E:U`);
    expect(lines[2]).toEqual({ vector: 'CVSS:3.1/AV:N', error: expect.any(String) });

    const human = await runCli(['cvss'], { env, input });
    expect(human.code).toBe(1);
    const out = human.stdout.trimEnd().split('\n');
    expect(out).toHaveLength(5);
    expect(out[0]).toBe(`9.8 CRITICAL  ${V31}  (base 9.8, temporal —, environmental —)`);
    expect(out[2]).toMatch(/^invalid {2}CVSS:3\.1\/AV:N: "CVSS:3\.1\/AV:N" is missing base metrics/);
  });

  it('exits 0 when every line is valid, and for empty input', async () => {
    expect((await runCli(['cvss'], { env, input: `${V31}\n${V40}\n` })).code).toBe(0);
    const empty = await runCli(['cvss', '--json'], { env, input: '' });
    expect([empty.code, empty.stdout, empty.stderr]).toEqual([0, '', '']);
  });

  it('streams: answers each line before the input ends', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'cvss', '--json'], {
      cwd: REPO,
      env: { ...process.env, ...env, EMBARGO_SERVER: '', EMBARGO_TOKEN: '', DATABASE_URL: '' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    const waitForLines = (n: number) =>
      new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no answer before end of input; got: ${stdout}`)), 20_000);
        const check = () => {
          if (stdout.split('\n').length - 1 >= n) {
            clearTimeout(timer);
            child.stdout.off('data', check);
            resolve();
          }
        };
        child.stdout.on('data', check);
        check();
      });
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stdin.write(`${V31}\n`);
    await waitForLines(1);
    expect(JSON.parse(stdout.split('\n')[0]!).score).toBe(9.8);
    child.stdin.write(`${V40}\n`);
    await waitForLines(2);
    expect(JSON.parse(stdout.split('\n')[1]!).score).toBe(9.3);
    const code = new Promise<number | null>((resolve) => child.on('close', resolve));
    child.stdin.end();
    expect(await code).toBe(0);
  });

  it('works offline: no database is created or opened, no server is asked', async () => {
    const r = await runCli(['cvss', V31], {
      env: {
        ...env,
        DATABASE_URL: 'postgres://nobody:nothing@127.0.0.1:1/none',
        EMBARGO_SERVER: 'http://127.0.0.1:1',
        EMBARGO_TOKEN: 'emb_not_a_token',
      },
    });
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(r.stdout).toMatch(/^9\.8 CRITICAL/);
    expect(readdirSync(dir)).toEqual([]);
  });
});
