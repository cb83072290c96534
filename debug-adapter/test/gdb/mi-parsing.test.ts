// mi-parsing.test.ts - unit tests of the GDB layer's pure parts, no GDB or QEMU: the line guard in front of
// gdb-js's parser, MI argument quoting, stop-event and breakpoint-record parsing, the vCPU mapping.
// Sample lines are GDB 13 output copied from real sessions (see the transcripts the other tests print).

import { describe, expect, it } from "vitest";

import { guardLineForGdbJs } from "../../src/gdb/gdb-process";
import { parseBreakpointRecord } from "../../src/gdb/mi/breakpoint-record";
import { miArgument, miCommand, quoteMiString } from "../../src/gdb/mi/command-line";
import type { MiTuple } from "../../src/gdb/mi/values";
import { parseStopEvent } from "../../src/gdb/stop-event";
import { cpuForThreadId, threadIdForCpu } from "../../src/gdb/vcpu";

describe("the line guard in front of gdb-js", () => {
  it("passes ordinary MI lines through untouched", () => {
    for (const line of [
      "^done",
      '^done,value="42"',
      '*stopped,reason="breakpoint-hit",disp="keep",bkptno="1",frame={addr="0x10006a",func="add_one",args=[]},thread-id="1",stopped-threads="all"',
      '~"Breakpoint 1, tick () at counter-kernel.c:27\\n"',
      '=thread-group-added,id="i1"',
      "(gdb) ",
    ]) {
      expect(guardLineForGdbJs(line)).toEqual({ kind: "unchanged", line });
    }
  });

  it("lowercases result names gdb-js's grammar cannot take, leaving strings alone", () => {
    const line =
      '^done,BreakpointTable={nr_rows="1",nr_cols="6",hdr=[{width="7",col_name="number",colhdr="Num"}],body=[bkpt={number="1",what="Keep=Me"}]}';
    const outcome = guardLineForGdbJs(line);
    expect(outcome.kind).toBe("repaired");
    expect(outcome.kind !== "dropped" && outcome.line).toBe(
      '^done,breakpointtable={nr_rows="1",nr_cols="6",hdr=[{width="7",col_name="number",colhdr="Num"}],body=[bkpt={number="1",what="Keep=Me"}]}',
    );
  });

  it("replaces octal escapes that are not UTF-8 (they crash gdb-js's decoder), keeping valid ones", () => {
    const outcome = guardLineForGdbJs('~"bad \\377\\376 byte, good \\303\\251, cut \\303, escaped \\\\303"');
    expect(outcome.kind).toBe("repaired");
    expect(outcome.kind !== "dropped" && outcome.line).toBe(
      '~"bad ?? byte, good \\303\\251, cut ?, escaped \\\\303"',
    );
    expect(guardLineForGdbJs('~"caf\\303\\251"').kind).toBe("unchanged");
  });

  it("turns an unparseable reply into an ^error (keeping gdb-js's reply queue aligned)", () => {
    const outcome = guardLineForGdbJs('^done,reg1="0x1"');
    expect(outcome.kind).toBe("replaced");
    expect(outcome.kind === "replaced" && outcome.line).toMatch(/^\^error,msg="gdb-js could not parse/);
    expect(guardLineForGdbJs(outcome.kind === "replaced" ? outcome.line : "").kind).toBe("unchanged");
  });

  it("drops unparseable async lines and gives frameless stop records an empty frame", () => {
    expect(guardLineForGdbJs('=some-notification,Field2="x"').kind).toBe("dropped");
    expect(guardLineForGdbJs('*stopped,reason="signal-received",thread-id="1"')).toEqual({
      kind: "repaired",
      line: '*stopped,reason="signal-received",thread-id="1",frame={}',
      reason: "stop record without a frame",
    });
    expect(guardLineForGdbJs('=thread-created,id="3"').kind).toBe("dropped");
  });

  it("breaks gdb-js's own framing markers in console text (they would make it emit 'error')", () => {
    const outcome = guardLineForGdbJs('~"guest says <gdbjs:event:error x error:event:gdbjs>\\n"');
    expect(outcome).toEqual({
      kind: "repaired",
      line: '~"guest says <\\342\\200\\213gdbjs:event:error x error:event:gdbjs>\\n"',
      reason: "gdb-js marker in console text neutralized",
    });
  });
});

describe("MI command lines", () => {
  it("quotes only arguments that need it", () => {
    expect(miArgument("counter")).toBe("counter");
    expect(miArgument("&scratch")).toBe("&scratch");
    expect(miArgument(42)).toBe("42");
    expect(miArgument(0x10n)).toBe("16");
    expect(miArgument("")).toBe('""');
    expect(miArgument("a + b")).toBe('"a + b"');
    expect(quoteMiString('say "hi"\\now\n\t')).toBe('"say \\"hi\\"\\\\now\\n\\t"');
  });

  it("cannot be split into two commands by an argument", () => {
    const command = miCommand("-data-evaluate-expression", "1\n-gdb-exit");
    expect(command).toBe('-data-evaluate-expression "1\\n-gdb-exit"');
    expect(command).not.toContain("\n");
    expect(miCommand("-break-insert", undefined, "-t", undefined, "--", "tick")).toBe(
      "-break-insert -t -- tick",
    );
    expect(() => miCommand("break-insert")).toThrow(RangeError);
  });
});

describe("record parsing", () => {
  it("reads a watchpoint stop with old and new values", () => {
    const record: MiTuple = {
      reason: "watchpoint-trigger",
      wpt: { number: "1", exp: "counter" },
      value: { old: "41", new: "42" },
      frame: {
        addr: "0x000000000010009f",
        func: "tick",
        args: [],
        file: "k.c",
        fullname: "/src/k.c",
        line: "28",
      },
      "thread-id": "1",
      "stopped-threads": "all",
    };
    expect(parseStopEvent(record)).toMatchObject({
      reason: "watchpoint-trigger",
      threadId: 1,
      watchpoint: { number: 1, expression: "counter", oldValue: "41", newValue: "42" },
      frame: { address: 0x10009fn, functionName: "tick", fullPath: "/src/k.c", line: 28 },
      stoppedThreads: "all",
    });
  });

  it("reads the reason-less stop after connecting and unknown reasons", () => {
    const connected = parseStopEvent({
      frame: { addr: "0x000000000000fff0", func: "??", args: [] },
      "thread-id": "1",
    });
    expect(connected.reason).toBe("none");
    expect(connected.frame?.functionName).toBeUndefined();
    expect(parseStopEvent({ reason: "fork" })).toMatchObject({ reason: "other", rawReason: "fork" });
  });

  it("reads single- and multi-location breakpoints in MI3 and MI2 shapes", () => {
    const single = parseBreakpointRecord("-break-insert tick", {
      number: "2",
      type: "hw breakpoint",
      disp: "keep",
      enabled: "y",
      addr: "0xffffffff80100084",
      func: "tick",
      line: "27",
      times: "3",
      ignore: "1",
      cond: "counter > 2",
    });
    expect(single).toMatchObject({ number: 2, type: "hw breakpoint", hitCount: 3, ignoreCount: 1 });
    expect(single.condition).toBe("counter > 2");
    expect(single.locations).toEqual([
      expect.objectContaining({ id: "2", address: 0xffffffff80100084n, functionName: "tick", line: 27 }),
    ]);

    const parent = {
      number: "1",
      type: "breakpoint",
      disp: "keep",
      enabled: "y",
      addr: "<MULTIPLE>",
      times: "0",
    };
    const locations = [
      { number: "1.1", enabled: "y", addr: "0x1000", func: "a" },
      { number: "1.2", enabled: "n", addr: "0x2000", func: "b" },
    ];
    const mi3 = parseBreakpointRecord("mi3", { ...parent, locations });
    const mi2 = parseBreakpointRecord("mi2", [parent, ...locations]);
    expect(mi3.locations.map((location) => [location.id, location.enabled, location.address])).toEqual([
      ["1.1", true, 0x1000n],
      ["1.2", false, 0x2000n],
    ]);
    expect(mi2.locations).toEqual(mi3.locations);
    expect(
      parseBreakpointRecord("pending", { ...parent, addr: "<PENDING>", pending: "later" }).locations,
    ).toEqual([]);
  });
});

describe("the vCPU mapping", () => {
  it("maps CPU index k to GDB thread k + 1 and back", () => {
    expect([0, 1, 7].map(threadIdForCpu)).toEqual([1, 2, 8]);
    expect([1, 2, 8].map(cpuForThreadId)).toEqual([0, 1, 7]);
    expect(() => threadIdForCpu(-1)).toThrow(RangeError);
    expect(() => cpuForThreadId(0)).toThrow(RangeError);
  });
});
