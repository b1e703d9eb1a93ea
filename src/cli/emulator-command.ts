import type { emulatorOptions } from './options/emulator.js';
import { etClockToEpoch, parseClock } from '../engine/et-time.js';
import { FaultSpecError, parseFaults, type FaultSpec } from '../live/emulator/faults.js';
import { keysFromEnv } from '../live/emulator/keys.js';
import { startEmulator } from '../live/emulator/server.js';
import { UsageError } from './cli-error.js';
import { loadTapeArgs } from './data-command.js';

type EmulatorArgs = Awaited<ReturnType<typeof emulatorOptions>['argv']>;

/** `better-orders emulator`: a loopback Alpaca-compatible server replaying a tape until Ctrl-C. */
export async function runEmulatorCommand(args: EmulatorArgs): Promise<void> {
  let faults: FaultSpec;
  try {
    faults = parseFaults(args.faults);
  } catch (err) {
    if (err instanceof FaultSpecError) throw new UsageError(err.message);
    throw err;
  }
  const tapes = loadTapeArgs('emulator', args);
  if (tapes.length !== 1) throw new UsageError('emulator: give exactly one --tape');
  const tape = tapes[0]!;
  try {
    parseClock(args.start);
  } catch {
    throw new UsageError(`--start: expected HH:MM:SS, got "${args.start}"`);
  }
  if (!(args.speed > 0) || !Number.isFinite(args.speed)) throw new UsageError(`--speed: expected a positive number, got ${args.speed}`);
  if (!Number.isInteger(args.port) || args.port < 0 || args.port > 65535) throw new UsageError(`--port: expected 0-65535, got ${args.port}`);
  // Keys a user already exported for Alpaca work unchanged; otherwise the emulator's own, printed.
  const { keys, fromEnv } = keysFromEnv();
  const emu = await startEmulator({ tape, startMs: etClockToEpoch(tape.date, args.start), speed: args.speed, port: args.port, seed: args.seed, faults, keys });
  process.stdout.write(
    [
      `emulator: ${tape.symbol} ${tape.date} from ${args.start} ET at ${args.speed}x`,
      `faults: ${(args.faults ?? []).join(',') || 'none'}`,
      `base URL: ${emu.baseUrl}`,
      `trading stream: ${emu.wsUrl}/stream   stock stream: ${emu.wsUrl}/v2/iex`,
      ...(fromEnv
        ? ['keys: APCA_API_KEY_ID and APCA_API_SECRET_KEY from the environment']
        : [`APCA_API_KEY_ID=${emu.keys.keyId}`, `APCA_API_SECRET_KEY=${emu.keys.secret}`]),
      `audit: ${emu.baseUrl}/__audit   (Ctrl-C to stop)`,
      '',
    ].join('\n'),
  );
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      void emu.close().then(resolve);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
