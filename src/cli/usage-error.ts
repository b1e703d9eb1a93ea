/**
 * A bad argument or combination of arguments: exit code 2, one line, no stack. In a module of
 * its own, importing nothing, so that option builders (loaded for every command, even --help)
 * can refuse arguments without pulling in the engine's schemas.
 */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
