import type { emulatorOptions } from './options/emulator.js';
import { etClockToEpoch, parseClock } from '../engine/et-time.js';
import { FaultSpecError, parseFaults, type FaultSpec } from '../live/emulator/faults.js';
import { keysFromEnv } from '../live/emulator/keys.js';
import { DEFAULT_EMULATOR_CASH, startEmulator } from '../live/emulator/server.js';
import { positionsProblem, tapeSetProblem } from '../live/emulator/tape-set.js';
import { formatWireQty } from '../live/emulator/wire-units.js';
import { moneyToDollars } from '../engine/money.js';
import { parseCash, readPositionsFile } from './rebalance-files.js';
import { UsageError } from './cli-error.js';
import { loadTapeArgs } from './data-command.js';

type EmulatorArgs = Awaited<ReturnType<typeof emulatorOptions>['argv']>;

/**
 * `better-orders emulator`: a loopback Alpaca-compatible server replaying one tape per symbol (one
 * date, one venue clock) until Ctrl-C; `--cash` / `--positions` open a cash account with Alpaca's checks.
 */
export async function runEmulatorCommand(args: EmulatorArgs): Promise<void> {
  let faults: FaultSpec;
  try {
    faults = parseFaults(args.faults);
  } catch (err) {
    if (err instanceof FaultSpecError) throw new UsageError(err.message);
    throw err;
  }
  const tapes = loadTapeArgs('emulator', args);
  const files = (args.tape ?? []).filter((f) => f !== '');
  const tapeProblem = tapeSetProblem(tapes, (i) => `--tape ${files[i]} (${tapes[i]!.symbol} ${tapes[i]!.date})`);
  if (tapeProblem !== null) throw new UsageError(`emulator: ${tapeProblem}`);
  const tape = tapes[0]!;
  // --cash or --positions: a cash account with Alpaca's checks; neither: the original account.
  const cash = args.cash === undefined ? undefined : parseCash(args.cash);
  const positions = args.positions === undefined ? undefined : readPositionsFile(args.positions);
  if (positions !== undefined) {
    const orphan = positionsProblem(positions, tapes);
    if (orphan !== null) throw new UsageError(`${args.positions}: ${orphan}`);
  }
  try {
    parseClock(args.start);
  } catch {
    throw new UsageError(`--start: expected HH:MM:SS, got "${args.start}"`);
  }
  if (!(args.speed > 0) || !Number.isFinite(args.speed)) throw new UsageError(`--speed: expected a positive number, got ${args.speed}`);
  if (!Number.isInteger(args.port) || args.port < 0 || args.port > 65535) throw new UsageError(`--port: expected 0-65535, got ${args.port}`);
  // Keys a user already exported for Alpaca work unchanged; otherwise the emulator's own, printed.
  const { keys, fromEnv } = keysFromEnv();
  const emu = await startEmulator({
    tapes,
    startMs: etClockToEpoch(tape.date, args.start),
    speed: args.speed,
    port: args.port,
    seed: args.seed,
    faults,
    keys,
    ...(cash !== undefined ? { cash } : {}),
    ...(positions !== undefined ? { positions } : {}),
  });
  const cashAccount = cash !== undefined || positions !== undefined;
  const held = Object.entries(positions ?? {}).filter(([, q]) => q > 0);
  process.stdout.write(
    [
      `emulator: ${tapes.map((t) => t.symbol).join(', ')} ${tape.date} from ${args.start} ET at ${args.speed}x`,
      ...(cashAccount
        ? [`account: cash account, cash $${moneyToDollars(cash ?? DEFAULT_EMULATOR_CASH).toFixed(2)}, positions ${held.map(([s, q]) => `${s} ${formatWireQty(q)}`).join(', ') || 'none'}`]
        : []),
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
