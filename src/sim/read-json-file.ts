import { readFileSync } from 'node:fs';

/**
 * Parses a JSON file. On failure it throws an Error whose message is only the reason
 * ("cannot read (ENOENT)" or "not valid JSON (...)"), so each caller can name the file its own
 * way (the flag it came from, or what the file was meant to hold) in its one-line error.
 */
export function readJsonFile(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new Error(`cannot read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new Error(`not valid JSON (${(err as Error).message})`);
  }
}
