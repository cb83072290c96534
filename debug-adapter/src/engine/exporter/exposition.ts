// exposition.ts - metric families written as Prometheus text format 0.0.4 or OpenMetrics 1.0.0, whichever the
// scraper's Accept header prefers (a real Prometheus asks for OpenMetrics first). Pure. Contracts: every family
// has HELP and TYPE lines; a counter's name ends in `_total` (OpenMetrics names the family without it); a
// family with a unit ends in `_<unit>` (before `_total`); label values and HELP text are escaped; OpenMetrics
// output ends with `# EOF`. Families come from metric-catalog.ts.

export type MetricType = "counter" | "gauge";
export type ExpositionFormat = "prometheus" | "openmetrics";

export interface MetricSample {
  labels: Record<string, string>;
  value: number;
}

export interface MetricFamily {
  name: string;
  type: MetricType;
  help: string;
  /** OpenMetrics UNIT ("seconds"); the name must carry it as a suffix. */
  unit?: string;
  samples: MetricSample[];
}

export const CONTENT_TYPES: Record<ExpositionFormat, string> = {
  prometheus: "text/plain; version=0.0.4; charset=utf-8",
  openmetrics: "application/openmetrics-text; version=1.0.0; charset=utf-8",
};

/**
 * The format for an Accept header: OpenMetrics when it lists application/openmetrics-text with a quality at
 * least that of text/plain (and above 0); the classic text format otherwise, and when there is no header.
 */
export function negotiateFormat(accept: string | undefined): ExpositionFormat {
  if (accept === undefined) return "prometheus";
  let openMetrics = 0;
  let text = 0;
  for (const part of accept.split(",")) {
    const [mediaType, ...parameters] = part.split(";").map((item) => item.trim().toLowerCase());
    const qualityParameter = parameters.find((parameter) => parameter.startsWith("q="));
    const quality = qualityParameter === undefined ? 1 : Number(qualityParameter.slice(2));
    if (!Number.isFinite(quality)) continue;
    if (mediaType === "application/openmetrics-text") openMetrics = Math.max(openMetrics, quality);
    if (mediaType === "text/plain" || mediaType === "*/*" || mediaType === "text/*")
      text = Math.max(text, quality);
  }
  return openMetrics > 0 && openMetrics >= text ? "openmetrics" : "prometheus";
}

export function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, "\\\\").replace(/\n/g, "\\n").replace(/"/g, '\\"');
}

function escapeHelp(text: string): string {
  return text.replace(/\\/g, "\\\\").replace(/\n/g, "\\n");
}

export function formatValue(value: number): string {
  if (Number.isNaN(value)) return "NaN";
  if (value === Infinity) return "+Inf";
  if (value === -Infinity) return "-Inf";
  return String(value);
}

function formatLabels(labels: Record<string, string>): string {
  const entries = Object.entries(labels);
  if (entries.length === 0) return "";
  return `{${entries.map(([name, value]) => `${name}="${escapeLabelValue(value)}"`).join(",")}}`;
}

/** The family's name in OpenMetrics metadata lines: a counter's name without `_total`. */
export function openMetricsFamilyName(family: Pick<MetricFamily, "name" | "type">): string {
  return family.type === "counter" ? family.name.replace(/_total$/, "") : family.name;
}

export function formatExposition(families: readonly MetricFamily[], format: ExpositionFormat): string {
  const lines: string[] = [];
  for (const family of families) {
    const metadataName = format === "openmetrics" ? openMetricsFamilyName(family) : family.name;
    lines.push(`# HELP ${metadataName} ${escapeHelp(family.help)}`);
    lines.push(`# TYPE ${metadataName} ${family.type}`);
    if (format === "openmetrics" && family.unit !== undefined)
      lines.push(`# UNIT ${metadataName} ${family.unit}`);
    for (const sample of family.samples) {
      lines.push(`${family.name}${formatLabels(sample.labels)} ${formatValue(sample.value)}`);
    }
  }
  if (format === "openmetrics") lines.push("# EOF");
  return `${lines.join("\n")}\n`;
}
