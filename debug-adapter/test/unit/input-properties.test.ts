// input-properties.test.ts - property tests (fast-check) of the host parsers that face input from outside the
// adapter: the telemetry decoder on torn, truncated, corrupted and throwing reads of guest RAM; the MI line
// guard on any line GDB could print; the launch/attach argument validation on any JSON value. Each must
// answer with its typed result (never an exception, never a hang: every call here is synchronous, so a
// loop that never ends fails the test by its timeout). Pairs with the example tests in decoder.test.ts,
// mi-parsing.test.ts and the session's argument tests.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { guardLineForGdbJs } from "../../src/gdb/gdb-process";
import { _parseMI } from "gdb-js";
import { decodeTelemetry, ReadFunction } from "../../src/engine/telemetry/decoder";
import { MAX_CPUS } from "../../src/engine/telemetry/layout";
import { isUnreadable, TelemetryReadResult } from "../../src/engine/telemetry/snapshot";
import { TORO_ATTACH_SCHEMA, TORO_LAUNCH_SCHEMA } from "../../src/protocol/launch-arguments";
import {
  parseGdbstubAddress,
  validateAttachArguments,
  validateLaunchArguments,
} from "../../src/protocol/validate-arguments";
import { SyntheticBlock } from "../helpers/synthetic-block";

const RUNS = 300;

/** A decode result is either a snapshot that respects the block's capacities, or a one-line reason. */
function expectWellFormed(result: TelemetryReadResult): void {
  if (isUnreadable(result)) {
    expect(typeof result.unreadable).toBe("string");
    expect(result.unreadable.length).toBeGreaterThan(0);
    expect(result.unreadable).not.toContain("\n");
    return;
  }
  expect(result.cores.length).toBeLessThanOrEqual(MAX_CPUS);
  for (const core of result.cores) expect(Number.isFinite(core.halts)).toBe(true);
  expect(result.tornRecords).toBeGreaterThanOrEqual(0);
}

function validBlock(): SyntheticBlock {
  const block = new SyntheticBlock(4);
  block.setGlobal("locks_registered", 2).setGlobal("thread_slots_used", 2);
  block.setLock(0, "seq", 2).setLock(0, "name", "console");
  block.setThread(0, "id", 1).setThread(0, "name", "main").setThread(0, "state", 1);
  return block;
}

describe("telemetry decoder (property)", () => {
  it("answers corrupted blocks (any bytes overwritten anywhere) with a snapshot or a reason", () => {
    const size = validBlock().buffer.length;
    const write = fc.record({
      offset: fc.nat({ max: size - 1 }),
      bytes: fc.uint8Array({ minLength: 1, maxLength: 16 }),
    });
    fc.assert(
      fc.property(fc.array(write, { maxLength: 24 }), (writes) => {
        const block = validBlock();
        for (const { offset, bytes } of writes) block.buffer.set(bytes.subarray(0, size - offset), offset);
        expectWellFormed(decodeTelemetry(block.reader(), { maxRetries: 4 }));
      }),
      { numRuns: RUNS },
    );
  });

  it("answers a block truncated anywhere with a reason, not a partial snapshot", () => {
    const size = validBlock().buffer.length;
    fc.assert(
      fc.property(fc.nat({ max: size - 1 }), (limit) => {
        const result = decodeTelemetry(validBlock().reader(limit));
        expect(isUnreadable(result)).toBe(true);
        expectWellFormed(result);
      }),
      { numRuns: RUNS },
    );
  });

  it("survives a writer racing the reader (every read sees different bytes) and reads that throw", () => {
    const size = validBlock().buffer.length;
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 }), fc.nat({ max: 40 }), (seed, throwAfter) => {
        const block = validBlock();
        let state = seed;
        let reads = 0;
        const racing: ReadFunction = (offset, length) => {
          if (++reads > throwAfter && throwAfter % 3 === 0) throw new Error("the RAM file went away");
          for (let step = 0; step < 8; step++) {
            state = (state * 1103515245 + 12345) >>> 0; // a writer changes bytes between reads
            block.buffer[state % size] = state >>> 24;
          }
          return Buffer.from(block.buffer.subarray(offset, offset + length));
        };
        expectWellFormed(decodeTelemetry(racing, { maxRetries: 8 }));
      }),
      { numRuns: RUNS },
    );
  });
});

/** MI output lines: records GDB prints, with names in any case, c-strings holding any escapes and bytes. */
const miLine = (() => {
  const name = fc.stringMatching(/^[A-Za-z_-][A-Za-z0-9_-]{0,10}$/);
  const escape = fc.oneof(
    fc.constantFrom("\\n", "\\t", '\\"', "\\\\", "\\e"),
    fc.integer({ min: 0, max: 0o377 }).map((byte) => `\\${byte.toString(8).padStart(3, "0")}`),
  );
  const cString = fc
    .array(fc.oneof(fc.string({ maxLength: 6 }), escape, fc.constantFrom("<gdbjs:", "gdbjs>")), {
      maxLength: 6,
    })
    .map((parts) => `"${parts.join("").replace(/"/g, "")}"`);
  const value: fc.Arbitrary<string> = fc.letrec((tie) => ({
    value: fc.oneof(
      { depthSize: "small", withCrossShrink: true },
      cString,
      tie("tuple"),
      tie("list"),
    ) as fc.Arbitrary<string>,
    tuple: fc
      .array(fc.tuple(name, tie("value") as fc.Arbitrary<string>), { maxLength: 3 })
      .map((pairs) => `{${pairs.map(([key, item]) => `${key}=${item}`).join(",")}}`),
    list: fc
      .array(tie("value") as fc.Arbitrary<string>, { maxLength: 3 })
      .map((items) => `[${items.join(",")}]`),
  })).value;
  const result = fc.tuple(name, value).map(([key, item]) => `${key}=${item}`);
  const record = fc
    .tuple(
      fc.constantFrom(
        "^done",
        "^error",
        "^running",
        "*stopped",
        "*running",
        "=thread-created",
        "=breakpoint-modified",
        "12^done",
      ),
      fc.array(result, { maxLength: 4 }),
    )
    .map(([head, results]) => [head, ...results].join(","));
  const stream = fc.tuple(fc.constantFrom("~", "@", "&"), cString).map(([kind, text]) => kind + text);
  return fc.oneof(record, stream, fc.string({ maxLength: 80 }), fc.constant("(gdb) "));
})();

describe("MI line guard (property)", () => {
  it("never throws, and every line it lets through parses in gdb-js", () => {
    fc.assert(
      fc.property(miLine, (line) => {
        const outcome = guardLineForGdbJs(line);
        if (outcome.kind === "dropped") {
          expect(outcome.reason.length).toBeGreaterThan(0);
          return;
        }
        expect(() => _parseMI(outcome.line)).not.toThrow();
      }),
      { numRuns: 2000 },
    );
  });
});

/** Any JSON-like value, and objects built from the schema's field names with any values. */
function argumentObjects(fields: string[]): fc.Arbitrary<Record<string, unknown>> {
  const key = fc.oneof(
    fc.constantFrom(
      ...fields,
      "noDebug",
      "__configurationTarget",
      "toString",
      "constructor",
      "hasOwnProperty",
    ),
    fc.string({ maxLength: 12, unit: "binary" }), // any characters, line breaks included
  );
  return fc.dictionary(key, fc.jsonValue({ maxDepth: 2 }), { maxKeys: 8 });
}

function expectProblemsReadable(problems: string[]): void {
  expect(problems.length).toBeGreaterThan(0);
  for (const problem of problems) {
    expect(typeof problem).toBe("string");
    expect(problem).not.toMatch(/\n/); // one line each: what was wrong and what was expected
  }
}

describe("launch and attach argument validation (property)", () => {
  const launchFields = Object.keys(TORO_LAUNCH_SCHEMA.properties);
  const attachFields = Object.keys(TORO_ATTACH_SCHEMA.properties);

  it("answers any value with valid arguments or one-line problems", () => {
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue({ maxDepth: 3 }), argumentObjects(launchFields)), (raw) => {
        const launch = validateLaunchArguments(raw);
        if (!launch.valid) expectProblemsReadable(launch.problems);
        const attach = validateAttachArguments(raw);
        if (!attach.valid) expectProblemsReadable(attach.problems);
      }),
      { numRuns: 1000 },
    );
  });

  it("accepts only the schema's fields, and accepts again what it accepted", () => {
    fc.assert(
      fc.property(argumentObjects([...launchFields, ...attachFields]), (raw) => {
        const launch = validateLaunchArguments(raw);
        if (launch.valid) {
          for (const field of Object.keys(launch.arguments)) expect(launchFields).toContain(field);
          expect(validateLaunchArguments({ ...launch.arguments, noDebug: launch.noDebug }).valid).toBe(true);
        }
        const attach = validateAttachArguments(raw);
        if (attach.valid) {
          for (const field of Object.keys(attach.arguments)) expect(attachFields).toContain(field);
          expect(validateAttachArguments(attach.arguments).valid).toBe(true);
        }
      }),
      { numRuns: 1000 },
    );
  });

  it("reports a field that is not the schema's own, whatever its name", () => {
    fc.assert(
      fc.property(
        fc.constantFrom("toString", "constructor", "valueOf", "hasOwnProperty", "isPrototypeOf"),
        fc.jsonValue({ maxDepth: 1 }),
        (field, value) => {
          const result = validateLaunchArguments({ app: "samples/hello", [field]: value });
          expect(result.valid).toBe(false);
        },
      ),
      { numRuns: 100 },
    );
  });

  it("parses any gdbstub text to host and port or a message", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 30 }), (text) => {
        const parsed = parseGdbstubAddress(text);
        if (typeof parsed === "string") expect(parsed).not.toContain("\n");
        else expect(parsed.port).toBeGreaterThanOrEqual(1);
      }),
      { numRuns: RUNS },
    );
  });
});
