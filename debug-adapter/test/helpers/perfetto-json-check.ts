// perfetto-json-check.ts - a structural check of a Chrome JSON trace against what Perfetto's JSON importer
// (ui.perfetto.dev's trace processor: src/trace_processor/importers/json/, json_trace_tokenizer.cc and
// json_trace_parser_impl.cc) needs to load every event, since ui.perfetto.dev cannot be reached from the
// test machines. Returns the problems found, [] for a file it would load whole. The rules, each from the
// importer's code:
// - the top level is an object whose keys it knows; at an unknown key it stops reading the file, so one
//   before "traceEvents" loses every event. No "displayTimeUnit": older importers scaled every "ts" by it
//   (a file in microseconds with "ns" loads 1000x too short), newer ones ignore it;
// - every event has a one-letter "ph" it handles (X, i, M, s, f, C here), numeric "pid"/"tid" that fit
//   32 bits, and, unless it is metadata (M), a numeric "ts" (events without one are dropped);
// - X (complete) has a numeric "dur" >= 0; slices on one track nest (a slice that starts inside another
//   ends inside it), or the slice tracker cuts or drops them;
// - i (instant) has scope "t" (thread), "p" (process) or "g" (global);
// - s / f (flow v1) have an "id"; a flow is matched by id, "cat" and "name", so every s has exactly one f
//   with the same three; f has "bp": "e". The importer binds each end to the slice on top of its track's
//   stack at that time, so each end must lie inside a slice of its track or on a thread-scoped instant of
//   that track at the same time written before it (a zero-length slice, kept first by the stable sort by
//   time): otherwise the arrow starts or ends at whatever slice came last on the track, or nowhere;
// - M thread_name / process_name carry args.name; C has numeric args.
// Used by the unit test of chrome-trace.ts and by the session test's real export.

const KNOWN_TOP_LEVEL_KEYS = ["traceEvents", "otherData", "metadata", "systemTraceEvents"];
const HANDLED_PHASES = ["X", "i", "M", "s", "f", "C"];
const UINT32_MAX = 2 ** 32 - 1;

interface JsonEvent {
  ph?: unknown;
  name?: unknown;
  cat?: unknown;
  pid?: unknown;
  tid?: unknown;
  ts?: unknown;
  dur?: unknown;
  s?: unknown;
  id?: unknown;
  bp?: unknown;
  args?: unknown;
}

const isNumber = (value: unknown): value is number => typeof value === "number" && Number.isFinite(value);

/** Slices (X) of each track (pid:tid), as [start, end]. */
function slicesByTrack(events: JsonEvent[]): Map<string, [number, number][]> {
  const tracks = new Map<string, [number, number][]>();
  for (const event of events) {
    if (event.ph !== "X" || !isNumber(event.ts) || !isNumber(event.dur)) continue;
    const key = `${String(event.pid)}:${String(event.tid)}`;
    let list = tracks.get(key);
    if (list === undefined) tracks.set(key, (list = []));
    list.push([event.ts, event.ts + event.dur]);
  }
  for (const list of tracks.values()) list.sort((left, right) => left[0] - right[0] || right[1] - left[1]);
  return tracks;
}

/** Whether some slice of the track encloses `time` (binary search over starts, then the open stack). */
function enclosed(slices: [number, number][] | undefined, time: number): boolean {
  if (slices === undefined) return false;
  let low = 0;
  let high = slices.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (slices[middle][0] <= time) low = middle + 1;
    else high = middle;
  }
  // Nested slices: the closest starts are the innermost; a few steps back cover the nesting depth.
  for (let index = low - 1; index >= 0 && index >= low - 8; index--)
    if (slices[index][1] >= time) return true;
  return false;
}

export function perfettoJsonProblems(file: unknown, limit = 20): string[] {
  const problems: string[] = [];
  const report = (text: string) => {
    if (problems.length < limit) problems.push(text);
  };
  if (typeof file !== "object" || file === null || Array.isArray(file))
    return ["the top level is not an object with traceEvents"];
  const keys = Object.keys(file);
  if (keys[0] !== "traceEvents") report(`the first key is ${JSON.stringify(keys[0])}, not "traceEvents"`);
  for (const key of keys) {
    if (key === "displayTimeUnit")
      report('"displayTimeUnit" is set: older Perfetto importers scale every "ts" by it');
    else if (!KNOWN_TOP_LEVEL_KEYS.includes(key))
      report(`top-level key ${JSON.stringify(key)} is unknown to the importer, which stops reading there`);
  }
  const events = (file as { traceEvents?: unknown }).traceEvents;
  if (!Array.isArray(events)) return [...problems, "traceEvents is not an array"];
  const flows = new Map<string, { starts: number; ends: number }>();
  const tracks = slicesByTrack(events as JsonEvent[]);
  // Thread-scoped instants: track -> time -> index of the first one written.
  const instants = new Map<string, Map<number, number>>();
  (events as JsonEvent[]).forEach((event, index) => {
    if (event.ph !== "i" || event.s !== "t" || !isNumber(event.ts)) return;
    const key = `${String(event.pid)}:${String(event.tid)}`;
    let times = instants.get(key);
    if (times === undefined) instants.set(key, (times = new Map()));
    if (!times.has(event.ts)) times.set(event.ts, index);
  });
  (events as JsonEvent[]).forEach((event, index) => {
    const where = `event ${index} (${JSON.stringify(event.ph)} ${JSON.stringify(event.name)})`;
    if (typeof event.ph !== "string" || !HANDLED_PHASES.includes(event.ph)) {
      report(`${where}: phase not handled here`);
      return;
    }
    for (const field of ["pid", "tid"] as const) {
      const value = event[field];
      if (!isNumber(value) || !Number.isInteger(value) || value < 0 || value > UINT32_MAX)
        report(`${where}: "${field}" is not a 32-bit unsigned integer`);
    }
    if (typeof event.name !== "string" || event.name === "") report(`${where}: no name`);
    if (event.ph !== "M" && (!isNumber(event.ts) || event.ts < 0))
      report(`${where}: no numeric "ts" >= 0 (the importer drops it)`);
    const track = `${String(event.pid)}:${String(event.tid)}`;
    switch (event.ph) {
      case "X":
        if (!isNumber(event.dur) || event.dur < 0) report(`${where}: no numeric "dur" >= 0`);
        break;
      case "i":
        if (!["t", "p", "g"].includes(event.s as string)) report(`${where}: scope "s" is not t, p or g`);
        break;
      case "M": {
        const args = event.args as { name?: unknown } | undefined;
        if ((event.name === "thread_name" || event.name === "process_name") && typeof args?.name !== "string")
          report(`${where}: no args.name`);
        break;
      }
      case "C":
        if (
          typeof event.args !== "object" ||
          event.args === null ||
          !Object.values(event.args).every((value) => isNumber(value))
        )
          report(`${where}: counter args are not all numbers`);
        break;
      case "s":
      case "f": {
        if (!isNumber(event.id) && typeof event.id !== "string") {
          report(`${where}: no flow "id"`);
          break;
        }
        if (event.ph === "f" && event.bp !== "e") report(`${where}: flow end without "bp": "e"`);
        const instant = isNumber(event.ts) ? instants.get(track)?.get(event.ts) : undefined;
        if (
          isNumber(event.ts) &&
          !enclosed(tracks.get(track), event.ts) &&
          !(instant !== undefined && instant < index)
        )
          report(`${where}: no slice of its track encloses it and no instant of its track is at its time`);
        const key = `${String(event.id)}|${String(event.cat)}|${String(event.name)}`;
        const flow = flows.get(key) ?? { starts: 0, ends: 0 };
        if (event.ph === "s") flow.starts++;
        else flow.ends++;
        flows.set(key, flow);
        break;
      }
    }
  });
  for (const [key, flow] of flows)
    if (flow.starts !== 1 || flow.ends !== 1)
      report(`flow ${key}: ${flow.starts} start(s) and ${flow.ends} end(s), expected one of each`);
  for (const [track, slices] of tracks) {
    // Nesting: keep a stack of open ends; a slice that starts inside one must end inside it.
    const open: number[] = [];
    for (const [start, end] of slices) {
      while (open.length > 0 && open[open.length - 1] <= start) open.pop();
      if (open.length > 0 && end > open[open.length - 1]) {
        report(
          `track ${track}: the slice ${start}..${end} starts inside one that ends at ${open[open.length - 1]}`,
        );
        break;
      }
      open.push(end);
    }
  }
  return problems;
}
