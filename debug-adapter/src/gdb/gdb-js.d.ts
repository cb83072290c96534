// gdb-js.d.ts - types for the slice of the untyped gdb-js 1.3.0 package that gdb-process.ts uses.
// Only gdb-process.ts may import "gdb-js"; shapes follow node_modules/gdb-js/src/index.js and its MI grammar
// (src/parsers/gdbmi.pegjs). Everything above gdb-process.ts sees our own types instead.

declare module "gdb-js" {
  import type { EventEmitter } from "node:events";
  import type { Readable } from "node:stream";

  /** The "child process" the constructor reads: it never spawns GDB itself. */
  export interface GdbJsProcessLike {
    stdin: { write(text: string, options?: unknown): unknown };
    stdout: Readable;
    stderr: Readable;
    kill(signal?: NodeJS.Signals): unknown;
  }

  /** A highland stream of decoded stream-record text; only `each` is used. */
  export interface GdbJsTextStream {
    each(consumer: (text: string) => void): unknown;
  }

  /** Payload of the raw 'exec' / 'notify' / 'status' events: the async class and its results. */
  export interface GdbJsAsyncRecord {
    state: string;
    data: Record<string, unknown>;
  }

  /** gdb-js's error: `message` is `Error while executing "<command>". <GDB's msg>`. */
  export interface GdbJsError extends Error {
    command: string;
    code?: number;
  }

  export class GDB extends EventEmitter {
    constructor(childProcess: GdbJsProcessLike);
    readonly consoleStream: GdbJsTextStream;
    readonly logStream: GdbJsTextStream;
    readonly targetStream: GdbJsTextStream;
    /** Sends one MI command; resolves with the results of `^done`/`^running`/`^connected`/`^exit`. */
    execMI(command: string): Promise<Record<string, unknown>>;
  }

  /** The PEG parser gdb-js runs on every output line. Throws on lines its grammar cannot take. */
  export function _parseMI(line: string): { type: string; state?: string; data?: unknown };
}
