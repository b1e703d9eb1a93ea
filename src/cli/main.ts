import { hideBin } from 'yargs/helpers';
import { runCommandLine } from './cli.js';

// `better-orders ... | head` closes the pipe early; that is the reader's choice, not an error.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});

const { exitCode, failed } = await runCommandLine(hideBin(process.argv));
// A failure ends the process at once, whatever timers or sockets the command left behind;
// otherwise the command's own exit code stands and the process ends when its work does.
if (failed) process.exit(exitCode);
process.exitCode = exitCode;
