/**
 * The CLI imports only the module of the command it runs; the other commands show in the help as
 * stubs written in command-groups.ts. These tests keep the stubs true to the modules, and check
 * that a command line loads the one group it needs.
 */
import { PassThrough } from 'node:stream';
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { COMMAND_GROUPS, groupOf, type LoadedGroup } from '../../src/cli/command-groups.js';
import { Context } from '../../src/cli/context.js';
import { buildProgram } from '../../src/cli/program.js';
import type { World } from '../../src/cli/world.js';

const world: World = {
  argv: [],
  env: {},
  cwd: '/',
  stdin: new PassThrough(),
  readStdin: () => Buffer.alloc(0),
  stdout: { write: () => true },
  stderr: { write: () => true },
  onSignal: () => () => {},
  exit: () => {},
};

describe('lazy command groups', () => {
  it('list every command as its module defines it: same order, usage and description in the help', async () => {
    const ctx = new Context(world);
    const all = new Map<(typeof COMMAND_GROUPS)[number], LoadedGroup>();
    for (const group of COMMAND_GROUPS) all.set(group, await group.load());
    const full = buildProgram(ctx, all);
    const stubs = buildProgram(ctx);
    expect(stubs.commands.map((c) => c.name())).toEqual(full.commands.map((c) => c.name()));
    expect(stubs.helpInformation()).toBe(full.helpInformation());
    // Each group names exactly the top-level commands its module registers.
    for (const [group, loaded] of all) {
      const bare = new Command('embargo');
      loaded.register(bare, ctx);
      expect(bare.commands.map((c) => c.name())).toEqual(group.commands.map((c) => c.name));
    }
  });

  it('finds the group a command line runs, past the global options and after help', () => {
    const name = (argv: string[]) => groupOf(argv)?.commands[0]?.name;
    expect(name(['case', 'list'])).toBe('case');
    expect(name(['--server', 'https://embargo.example.org', '--token', 'emb_x', 'case', 'show', 'EMB-2026-0001'])).toBe('case');
    expect(name(['--server=https://embargo.example.org', 'cvss', 'CVSS:3.1/AV:N'])).toBe('cvss');
    expect(name(['help', 'guard'])).toBe('guard');
    expect(name(['acks', 'EMB-2026-0001'])).toBe('distributor');
    expect(name(['--help'])).toBeUndefined();
    expect(name([])).toBeUndefined();
    expect(name(['help'])).toBeUndefined();
    expect(name(['no-such-command'])).toBeUndefined();
  });
});
