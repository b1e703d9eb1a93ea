import { spawn } from 'node:child_process';
import type { AlertSinks } from '../../engine/alerts/alert-config.js';
import type { AlertPayload } from './alert-payload.js';

export type CommandSettings = AlertSinks['command'];

/** The environment a notifier runs in: ours without any APCA_* variable, so no key reaches it. */
export function notifierEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([name]) => !name.startsWith('APCA_')));
}

/**
 * Runs the configured program once with the alert as one line of JSON on its stdin (argv as
 * written, no shell). It is killed after `timeoutMs`, or at once when `stop` fires. Resolves with
 * null when it exits 0, else why not; never rejects.
 */
export function runAlertCommand(settings: CommandSettings, payload: AlertPayload, stop: AbortSignal, env: NodeJS.ProcessEnv = process.env): Promise<string | null> {
  const [program, ...args] = settings.argv;
  if (program === undefined) return Promise.resolve('no command configured');
  return new Promise((resolve) => {
    let settled = false;
    const finish = (why: string | null): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      stop.removeEventListener('abort', onStop);
      resolve(why);
    };
    const child = spawn(program, args, { stdio: ['pipe', 'ignore', 'pipe'], env: notifierEnv(env) });
    let stderr = '';
    let killedFor: string | null = null;
    const kill = (why: string): void => {
      killedFor ??= why;
      child.kill('SIGKILL');
    };
    const timer = setTimeout(() => kill(`killed after ${settings.timeoutMs} ms`), settings.timeoutMs);
    const onStop = (): void => kill('abandoned at exit');
    stop.addEventListener('abort', onStop, { once: true });
    if (stop.aborted) onStop();
    child.stderr.on('data', (d: Buffer) => {
      if (stderr.length < 500) stderr += d.toString();
    });
    child.on('error', (err) => finish(`cannot run ${program}: ${err.message}`));
    // A program that exits without reading its stdin is its own business, not a crash of ours.
    child.stdin.on('error', () => undefined);
    child.stdin.end(`${JSON.stringify(payload)}\n`);
    child.on('close', (code, signal) => {
      if (killedFor !== null) return finish(killedFor);
      if (code === 0) return finish(null);
      const tail = stderr.trim().split('\n').at(-1) ?? '';
      finish(`${program} exited ${code ?? signal}${tail === '' ? '' : `: ${tail}`}`);
    });
  });
}
