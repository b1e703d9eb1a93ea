import type { Argv } from 'yargs';
import { FAULT_SYNTAX } from '../../live/emulator/fault-syntax.js';
import { numberArg } from '../number-arg.js';

export function emulatorOptions(y: Argv) {
  return y
    .option('tape', { type: 'string', array: true, describe: 'tape file to replay: Lean _quote.zip or generic CSV; repeat for more symbols (one tape per symbol, one date)' })
    .option('symbol', { type: 'string', describe: 'symbol of a generic CSV tape (default: from the file name)' })
    .option('date', { type: 'string', describe: 'trading date YYYY-MM-DD of a generic CSV tape (default: from the file name)' })
    .option('start', { type: 'string', default: '09:30:00', describe: 'tape time (ET, HH:MM:SS) at which the replay starts' })
    .option('speed', { type: 'string', coerce: numberArg('speed'), default: '1', describe: 'replay speed: venue seconds per wall second' })
    .option('port', { type: 'string', coerce: numberArg('port'), default: '0', describe: 'TCP port on 127.0.0.1 (0: any free port)' })
    .option('seed', { type: 'string', default: '1', describe: 'seed of the fill model latencies and of the HTTP faults' })
    .option('cash', { type: 'string', describe: 'opening cash in USD of a cash account with Alpaca\'s order checks (default 100000 when --positions is given)' })
    .option('positions', { type: 'string', describe: 'opening positions, JSON {"SYM": shares} as the rebalance reads it (each symbol needs a --tape); makes it a cash account' })
    .option('faults', {
      type: 'string',
      array: true,
      describe: `faults, comma-separated: ${FAULT_SYNTAX}`,
    });
}
