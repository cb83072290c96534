// mi-line-guard.ts - checks each GDB output line against gdb-js's own parser before gdb-js sees it, and
// repairs, replaces or drops the lines that would crash it. Pure functions; gdb-process.ts injects gdb-js's
// parser and feeds gdb-js only the guarded lines (quirks 4 and 5 in its header).
// Why: gdb-js parses inside a highland stream with no error handler, so one line its grammar rejects (a
// result name with capitals such as -break-list's `BreakpointTable`, or an octal escape that is not valid
// UTF-8) becomes an unhandled 'error' event and kills the whole Node process; a few lines it parses
// (frameless stops, its own `<gdbjs:` markers in console text) crash its event handlers instead.

import { isUtf8 } from "node:buffer";

import { quoteMiString } from "./mi/command-line";

/** gdb-js's line parser: returns a record or throws. */
export type MiLineParser = (line: string) => { type: string; state?: string; data?: unknown };

export type GuardOutcome =
  | { kind: "unchanged"; line: string }
  | { kind: "repaired"; line: string; reason: string }
  | { kind: "replaced"; line: string; reason: string }
  | { kind: "dropped"; reason: string };

/** gdb-js's command/event framing in console text, and the same text with U+200B (as MI octal) after `<`. */
const GDBJS_MARKER = "<gdbjs:";
const BROKEN_GDBJS_MARKER = "<\\342\\200\\213gdbjs:";

/** A result record (`^done...`, optionally after a numeric token): gdb-js must see one per command. */
const RESULT_RECORD = /^[0-9]*\^/;

/**
 * Rewrites the parts of an MI line outside c-strings with `rewriteOutside` and the c-string contents with
 * `rewriteInside`, keeping escapes intact. MI c-strings escape `"` and `\` with a backslash.
 */
function rewriteLine(
  line: string,
  rewriteOutside: (text: string) => string,
  rewriteInside: (text: string) => string,
): string {
  let output = "";
  let segment = "";
  let inString = false;
  for (let index = 0; index < line.length; index += 1) {
    const character = line[index];
    if (inString && character === "\\" && index + 1 < line.length) {
      segment += character + line[index + 1];
      index += 1;
      continue;
    }
    if (character === '"') {
      output += inString ? rewriteInside(segment) : rewriteOutside(segment);
      output += character;
      segment = "";
      inString = !inString;
      continue;
    }
    segment += character;
  }
  return output + (inString ? rewriteInside(segment) : rewriteOutside(segment));
}

/** gdb-js's grammar takes result names of [a-z_-] only; GDB also uses capitals (`BreakpointTable`). */
function lowercaseResultNames(line: string): string {
  return rewriteLine(
    line,
    (outside) => outside.replace(/[A-Za-z_-][A-Za-z0-9_-]*(?==)/g, (name) => name.toLowerCase()),
    (inside) => inside,
  );
}

/**
 * gdb-js decodes `\ooo` escapes with decodeURIComponent, which throws on bytes that are not valid UTF-8.
 * Each run of escaped bytes >= 0x80 that is not valid UTF-8 becomes one `?` per byte; valid runs stay.
 * Escapes are consumed left to right, so `\\303` (an escaped backslash, then "303") is left alone.
 */
function replaceInvalidUtf8Escapes(line: string): string {
  return rewriteLine(line, (outside) => outside, sanitizeStringContent);
}

function sanitizeStringContent(inside: string): string {
  let output = "";
  let runBytes: number[] = [];
  let runText = "";
  const flushRun = (): void => {
    if (runBytes.length > 0) {
      output += isUtf8(Uint8Array.from(runBytes)) ? runText : "?".repeat(runBytes.length);
      runBytes = [];
      runText = "";
    }
  };
  for (let index = 0; index < inside.length; index += 1) {
    if (inside[index] !== "\\" || index + 1 >= inside.length) {
      flushRun();
      output += inside[index];
      continue;
    }
    const octal = /^[0-7]{3}/.exec(inside.slice(index + 1, index + 4))?.[0];
    if (octal !== undefined && octal >= "200") {
      runBytes.push(Number.parseInt(octal, 8));
      runText += `\\${octal}`;
      index += 3;
      continue;
    }
    flushRun();
    const escapeLength = octal === undefined ? 1 : 3;
    output += inside.slice(index, index + 1 + escapeLength);
    index += escapeLength;
  }
  flushRun();
  return output;
}

/** Lines gdb-js parses but then mishandles in its own event handlers (its 'stopped' and thread handlers). */
function findHandlerHazard(record: { type: string; state?: string; data?: unknown }): string | undefined {
  const data = (typeof record.data === "object" && record.data !== null ? record.data : {}) as Record<
    string,
    unknown
  >;
  if (record.type === "exec" && record.state === "stopped" && data["thread-id"] !== undefined) {
    return data.frame === undefined ? "stopped-without-frame" : undefined;
  }
  if (record.type === "notify" && (record.state === "thread-created" || record.state === "thread-exited")) {
    return typeof data["group-id"] === "string" ? undefined : "thread-without-group";
  }
  if (record.type === "notify" && record.state?.startsWith("thread-group-") === true) {
    return typeof data.id === "string" ? undefined : "group-without-id";
  }
  return undefined;
}

function tryParse(parse: MiLineParser, line: string): ReturnType<MiLineParser> | undefined {
  try {
    return parse(line);
  } catch {
    return undefined;
  }
}

function guardParsed(
  line: string,
  record: ReturnType<MiLineParser>,
  repairReason: string | undefined,
): GuardOutcome {
  if (record.type === "console" && typeof record.data === "string" && record.data.includes(GDBJS_MARKER)) {
    // gdb-js acts on its own framing markers in console text (JSON.parse, emit(<name>), even 'error')
    // although we never load its scripts; a guest string could carry one. An invisible U+200B breaks it.
    return {
      kind: "repaired",
      line: line.split(GDBJS_MARKER).join(BROKEN_GDBJS_MARKER),
      reason: "gdb-js marker in console text neutralized",
    };
  }
  const hazard = findHandlerHazard(record);
  if (hazard === "stopped-without-frame") {
    // gdb-js reads data.frame.fullname whenever thread-id is present: give it an empty frame.
    return { kind: "repaired", line: `${line},frame={}`, reason: "stop record without a frame" };
  }
  if (hazard !== undefined) {
    return { kind: "dropped", reason: `${hazard} (gdb-js would crash on it): ${line}` };
  }
  return repairReason === undefined
    ? { kind: "unchanged", line }
    : { kind: "repaired", line, reason: repairReason };
}

/** Decides what gdb-js may see for one line of GDB output (without its newline). */
export function guardMiLine(line: string, parse: MiLineParser): GuardOutcome {
  const direct = tryParse(parse, line);
  if (direct !== undefined) {
    return guardParsed(line, direct, undefined);
  }
  const lowercased = lowercaseResultNames(line);
  const lowercasedRecord = tryParse(parse, lowercased);
  if (lowercasedRecord !== undefined) {
    return guardParsed(lowercased, lowercasedRecord, "result names lowercased for gdb-js's grammar");
  }
  const escaped = replaceInvalidUtf8Escapes(lowercased);
  const escapedRecord = tryParse(parse, escaped);
  if (escapedRecord !== undefined) {
    return guardParsed(escaped, escapedRecord, "bytes that are not UTF-8 replaced by '?'");
  }
  if (RESULT_RECORD.test(line)) {
    // Keep gdb-js's reply queue aligned: the command gets an error instead of a lost reply.
    const message = `gdb-js could not parse GDB's reply: ${line.slice(0, 300)}`;
    return { kind: "replaced", line: `^error,msg=${quoteMiString(message)}`, reason: message };
  }
  return { kind: "dropped", reason: `gdb-js could not parse: ${line.slice(0, 300)}` };
}
