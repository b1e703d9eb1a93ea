import { redact } from '../live/driver/redact.js';

/**
 * Runs a command that talks to Alpaca with the keys from the environment. Keys never leave the
 * process: the command line it records and any error message it throws are scrubbed of them.
 */
export async function runWithAlpacaKeys(commandLine: string, run: (keyId: string, secret: string, redactedCommandLine: string) => Promise<number>): Promise<void> {
  const keyId = process.env['APCA_API_KEY_ID'] ?? '';
  const secret = process.env['APCA_API_SECRET_KEY'] ?? '';
  try {
    process.exitCode = await run(keyId, secret, redact(commandLine, [keyId, secret]));
  } catch (err) {
    if (err instanceof Error) err.message = redact(err.message, [keyId, secret]);
    throw err;
  }
}

/** Whether a process id exists on this host (a lock left by a crashed process does not). */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
