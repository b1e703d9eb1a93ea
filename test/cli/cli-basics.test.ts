import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from './run-cli.js';

const COMMANDS = ['backtest', 'data', 'synth', 'tune', 'emulator', 'execute', 'record', 'compare', 'runs', 'show', 'report'];

describe('the command line itself', () => {
  it('lists every command for a bare better-orders and for -h, on stdout, exit 0', () => {
    for (const args of [[], ['-h'], ['--help']]) {
      const r = runCli(args);
      expect(r.status, args.join(' ')).toBe(0);
      for (const c of COMMANDS) expect(r.stdout, `${args.join(' ')} lists ${c}`).toMatch(new RegExp(`better-orders ${c}\\s`));
    }
  });

  it('suggests the nearest command for a mistyped one, in one line', () => {
    const r = runCli(['bactest']);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe('better-orders: unknown command "bactest"; did you mean backtest? (better-orders --help lists them all)\n');
  });

  it('echoes a number that does not parse as it was typed', () => {
    const r = runCli(['tune', '--random', 'abc']);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe('better-orders: --random: expected a number, got "abc"\n');
    const twice = runCli(['synth', 'generate', '--profile', 'tqqq-like', '--days', '1', '--days', '2', '--out', tempDir()]);
    expect(twice.stderr).toBe('better-orders: --days was given 2 times; give it once\n');
  });

  it('refuses a --db in a folder that does not exist, naming it, instead of creating it', () => {
    const missing = join(tempDir(), 'no', 'such');
    const r = runCli(['backtest', '--date', '2024-03-05', '--db', join(missing, 'runs.db')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`the folder ${missing} does not exist; create it first`);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
});
