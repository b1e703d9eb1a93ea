/**
 * A plan input that cannot be run: a bad value of an override (the message names the option as
 * the command line spells it, e.g. `--qty`) or a selection that matches no tape. One line, exit 2.
 */
export class PlanInputError extends Error {
  override readonly name = 'PlanInputError';
}

/** The request is fine but there is nothing to run (a scenario's optional data is absent): a skip, not a failure. */
export class NothingToRun extends Error {
  override readonly name = 'NothingToRun';
}
