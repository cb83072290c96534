// index.ts - the exporter's surface for ../../index.ts (the CLI's `toro exporter` and the tests use it).

export { Exporter } from "./exporter";
export type { ExporterOptions } from "./exporter";
export { MetricsServer, DEFAULT_EXPORTER_PORT, DEFAULT_LISTEN_ADDRESS } from "./metrics-server";
export type { MetricsServerOptions } from "./metrics-server";
export {
  CONTENT_TYPES,
  escapeLabelValue,
  formatExposition,
  negotiateFormat,
  openMetricsFamilyName,
} from "./exposition";
export type { ExpositionFormat, MetricFamily, MetricSample, MetricType } from "./exposition";
export { EXPORTED_METRIC_NAMES, METRIC_CATALOG } from "./metric-catalog";
export type { MetricDefinition } from "./metric-catalog";
export { MonotonicCounters } from "./monotonic-counters";
export { vmMetricFamilies } from "./vm-metrics";
export type { VmReading } from "./vm-metrics";
export { defaultRunsDirectory, discoverRuns } from "./run-discovery";
export type { DiscoveredRun } from "./run-discovery";
export { QmpScrapeTarget, findTelemetryHeader } from "./qmp-target";
