// diagnostics.ts - parses compiler, assembler and linker messages from build output into structured records
// (file, line, column, severity, message), the way VS Code's $gcc problem matcher reads them. Pure. Used by
// build-runner.ts; the DAP session and the extension show them later.

import * as path from "node:path";

export type Severity = "error" | "warning" | "note";

export interface Diagnostic {
  /** The file as the tool printed it. */
  file: string;
  /** `file` resolved against the directory the tool ran in. */
  absolutePath: string;
  line: number;
  /** 1-based column, or null when the tool gave none (assembler, linker). */
  column: number | null;
  severity: Severity;
  message: string;
  /** The warning option, e.g. "-Wunused-variable", when gcc named one. */
  option: string | null;
}

// gcc / clang: "file:line:column: severity: message" (the column is optional).
const COMPILER =
  /^(?<file>[^\s:][^:]*):(?<line>\d+):(?:(?<column>\d+):)? (?<severity>fatal error|error|warning|note): (?<message>.*)$/;
// GNU as: "file:line: Error: message" / "Warning: message".
const ASSEMBLER = /^(?<file>[^\s:][^:]*):(?<line>\d+): (?<severity>Error|Warning): (?<message>.*)$/;
// GNU ld with debug info: "file.c:12:(.text+0x1b): undefined reference to `x'".
const LINKER = /^(?<file>[^\s:][^:]*):(?<line>\d+):\(\S+\): (?<message>.*)$/;
const WARNING_OPTION = / \[(?<option>-W[\w=+-]+)\]$/;

/** `directory` is where the tool ran (make -C kernel: the kernel directory). */
export function parseDiagnostics(output: string, directory: string): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  for (const rawLine of output.split(/\r?\n/)) {
    const diagnostic = parseLine(rawLine, directory);
    if (diagnostic !== null) diagnostics.push(diagnostic);
  }
  return diagnostics;
}

export function parseLine(line: string, directory: string): Diagnostic | null {
  const compiler = COMPILER.exec(line);
  if (compiler?.groups !== undefined) {
    const { file, line: lineText, column, severity, message } = compiler.groups;
    const option = WARNING_OPTION.exec(message)?.groups?.option ?? null;
    return {
      file,
      absolutePath: path.resolve(directory, file),
      line: Number(lineText),
      column: column === undefined ? null : Number(column),
      severity: severity === "fatal error" ? "error" : (severity as Severity),
      message: option === null ? message : message.slice(0, message.length - option.length - 3),
      option,
    };
  }
  const assembler = ASSEMBLER.exec(line) ?? LINKER.exec(line);
  if (assembler?.groups !== undefined) {
    const { file, line: lineText, severity, message } = assembler.groups;
    return {
      file,
      absolutePath: path.resolve(directory, file),
      line: Number(lineText),
      column: null,
      severity: severity === "Warning" ? "warning" : "error",
      message,
      option: null,
    };
  }
  return null;
}

/** "file:line:col: severity: message", one per line, for terminals and the Debug Console. */
export function formatDiagnostic(diagnostic: Diagnostic): string {
  const column = diagnostic.column === null ? "" : `:${diagnostic.column}`;
  return `${diagnostic.absolutePath}:${diagnostic.line}${column}: ${diagnostic.severity}: ${diagnostic.message}`;
}
