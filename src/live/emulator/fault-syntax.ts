/** The `--faults` grammar in one line, for help texts (faults.ts parses it; docs/ALPACA-WIRE.md explains each). */
export const FAULT_SYNTAX = 'drop@HH:MM:SS, http5xx=P, http429=P, delay-ack=MS, reset-after-accept=N, reject=N|PREFIX, reject-sell=SYMBOL, partial[=F], fill-during-cancel, lookup-lag=MS, stall-stream[=N], lookup-5xx=P, cancel-5xx=N, rest=N';
