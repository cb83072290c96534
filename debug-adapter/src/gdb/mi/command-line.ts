// command-line.ts - builds one MI command line from an operation and its arguments, quoting each argument
// as an MI c-string when it needs it. Every mi/*.ts group builds its commands here, so no caller-supplied
// text (expressions, paths, console commands) can break out of its argument or inject a second command line.

/** Characters that end or alter an unquoted MI argument: whitespace, quotes, backslashes. */
const NEEDS_QUOTING = /[\s"\\]/;

/** Quotes `text` as an MI c-string: backslash, quote and control characters escaped. */
export function quoteMiString(text: string): string {
  const escaped = text
    .replace(/\\/g, "\\\\")
    .replace(/"/g, '\\"')
    .replace(/\n/g, "\\n")
    .replace(/\r/g, "\\r")
    .replace(/\t/g, "\\t");
  return `"${escaped}"`;
}

/** One MI argument: left bare when safe, quoted otherwise (empty text becomes `""`). */
export function miArgument(argument: string | number | bigint): string {
  const text = String(argument);
  return text === "" || NEEDS_QUOTING.test(text) ? quoteMiString(text) : text;
}

/**
 * Joins an operation (`-break-insert`) and its arguments into one line. `undefined` entries are skipped so
 * optional flags read naturally at call sites: `miCommand("-break-insert", hardware ? "-h" : undefined, spec)`.
 */
export function miCommand(
  operation: string,
  ...argumentsList: (string | number | bigint | undefined)[]
): string {
  if (!/^-[a-z][a-z0-9-]*$/.test(operation)) {
    throw new RangeError(`not an MI operation: ${operation}`);
  }
  const parts = [operation];
  for (const argument of argumentsList) {
    if (argument !== undefined) {
      parts.push(miArgument(argument));
    }
  }
  return parts.join(" ");
}
