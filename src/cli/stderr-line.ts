/** Writes one line to stderr: a note that is not the command's result (stdout carries only that). */
export function stderrLine(line: string): void {
  process.stderr.write(`${line}\n`);
}
