// promql-metric-names.ts - the metric names a PromQL expression selects, for the dashboard test: a small
// tokenizer (strings, durations and ranges, numbers, identifiers, punctuation) that drops function and
// aggregation names (an identifier followed by "("), keywords and operators, the label names of grouping
// clauses (by/without/on/ignoring/group_left/group_right (...)) and of label matchers ({...}), and Grafana
// variables ($__rate_interval, $app); an identifier before by/without is an aggregation (`sum by (x) (...)`). `{__name__="x"}` selects x as well. Throws on text it cannot read.

const KEYWORDS = new Set([
  "by",
  "without",
  "on",
  "ignoring",
  "group_left",
  "group_right",
  "bool",
  "offset",
  "and",
  "or",
  "unless",
  "atan2",
  "inf",
  "nan",
]);
const GROUPING = new Set(["by", "without", "on", "ignoring", "group_left", "group_right"]);

type Token = { kind: "identifier" | "string" | "number" | "variable" | "punctuation"; text: string };

function tokenize(expression: string): Token[] {
  const tokens: Token[] = [];
  const patterns: [Token["kind"] | "space" | "range", RegExp][] = [
    ["space", /^\s+/],
    ["string", /^"(?:[^"\\]|\\.)*"|^'(?:[^'\\]|\\.)*'|^`[^`]*`/],
    ["range", /^\[[^\]]*\]/],
    ["variable", /^\$\{?[A-Za-z_][A-Za-z0-9_]*\}?/],
    ["number", /^(?:0x[0-9a-fA-F]+|\d+(?:\.\d+)?(?:e[+-]?\d+)?(?:ms|[smhdwy])?)/],
    ["identifier", /^[A-Za-z_:][A-Za-z0-9_:]*/],
    ["punctuation", /^(?:==|!=|=~|!~|>=|<=|[-+*/%^(){},=<>@])/],
  ];
  let rest = expression;
  while (rest.length > 0) {
    const match = patterns
      .map(([kind, pattern]) => ({ kind, found: pattern.exec(rest) }))
      .find(({ found }) => found !== null);
    if (match === undefined) throw new Error(`cannot read PromQL at "${rest.slice(0, 20)}" in ${expression}`);
    const text = match.found![0];
    if (match.kind !== "space" && match.kind !== "range") tokens.push({ kind: match.kind, text });
    rest = rest.slice(text.length);
  }
  return tokens;
}

export function promqlMetricNames(expression: string): string[] {
  const tokens = tokenize(expression);
  const names = new Set<string>();
  let braceDepth = 0;
  for (let index = 0; index < tokens.length; index++) {
    const token = tokens[index];
    const next = tokens[index + 1];
    if (token.text === "{" && token.kind === "punctuation") {
      braceDepth++;
      continue;
    }
    if (token.text === "}" && token.kind === "punctuation") {
      braceDepth--;
      continue;
    }
    if (token.kind !== "identifier") continue;
    if (braceDepth > 0) {
      // A label matcher: only __name__="metric" names a metric.
      const value = tokens[index + 2];
      if (token.text === "__name__" && next?.text === "=" && value?.kind === "string")
        names.add(value.text.slice(1, -1));
      continue;
    }
    if (GROUPING.has(token.text) && next?.text === "(") {
      while (index < tokens.length && tokens[index].text !== ")") index++; // the label list
      continue;
    }
    if (KEYWORDS.has(token.text.toLowerCase())) continue;
    if (next?.text === "(") continue; // a function or an aggregation
    if (next?.text === "by" || next?.text === "without") continue; // an aggregation: sum by (...) (...)
    names.add(token.text);
  }
  return [...names];
}
