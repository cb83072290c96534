// dashboard.test.ts - dashboards/toro-vms.json: every PromQL expression of every panel (and the metric of each
// label_values() variable) names only metrics `toro exporter` emits (the engine's METRIC_CATALOG), the panels
// the issue asks for are there, and the PromQL reader itself finds metric names and ignores everything else.

import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { EXPORTED_METRIC_NAMES } from "@toro-studio/debug-adapter";
import { repositoryRoot } from "@toro-studio/debug-adapter/test-support";
import { promqlMetricNames } from "../helpers/promql-metric-names";

interface Panel {
  title: string;
  targets?: { expr: string }[];
}
interface Dashboard {
  panels: Panel[];
  templating: { list: { name: string; query?: string | { query: string } }[] };
}

const dashboard = JSON.parse(
  fs.readFileSync(path.join(repositoryRoot, "dashboards", "toro-vms.json"), "utf8"),
) as Dashboard;

describe("promqlMetricNames", () => {
  it("finds metric names and skips functions, aggregations, grouping labels, matchers and variables", () => {
    expect(
      promqlMetricNames(
        'topk(10, sum by (app, lock) (rate(toro_spinlock_spin_seconds_total{app=~"$app", lock!="by"}[$__rate_interval]))) / on (app) group_left (lock) toro_vm_up offset 5m > bool 0.5',
      ),
    ).toEqual(["toro_spinlock_spin_seconds_total", "toro_vm_up"]);
    expect(promqlMetricNames('{__name__="toro_vm_info", app="x"} + ignoring(vm) up')).toEqual([
      "toro_vm_info",
      "up",
    ]);
    expect(promqlMetricNames("histogram_quantile(0.9, sum without (le) (rate(x_bucket[5m])))")).toEqual([
      "x_bucket",
    ]);
    expect(() => promqlMetricNames("rate(x[5m]) ; y")).toThrow(/cannot read PromQL/);
  });
});

describe("dashboards/toro-vms.json", () => {
  const expressions = dashboard.panels.flatMap((panel) => (panel.targets ?? []).map((target) => target.expr));

  it("names only metrics the exporter emits, in every panel and variable", () => {
    expect(expressions.length).toBeGreaterThan(0);
    const named = new Set<string>();
    for (const expression of expressions) {
      const names = promqlMetricNames(expression);
      expect(names.length, expression).toBeGreaterThan(0);
      for (const name of names) {
        expect(EXPORTED_METRIC_NAMES, `${name} in ${expression}`).toContain(name);
        named.add(name);
      }
    }
    for (const variable of dashboard.templating.list) {
      const query = typeof variable.query === "string" ? variable.query : variable.query?.query;
      const labelValues = /^label_values\(\s*([^,]+),/.exec(query ?? "");
      if (labelValues === null) continue;
      for (const name of promqlMetricNames(labelValues[1])) expect(EXPORTED_METRIC_NAMES).toContain(name);
    }
    // The three views the dashboard is for.
    for (const name of [
      "toro_qemu_cpu_seconds_total",
      "toro_core_halted_seconds_total",
      "toro_spinlock_spin_seconds_total",
    ]) {
      expect([...named]).toContain(name);
    }
  });

  it("has the per-VM host CPU, per-core halted share and top spinning locks panels", () => {
    const titles = dashboard.panels.map((panel) => panel.title);
    expect(titles).toEqual(
      expect.arrayContaining([
        "Host CPU per VM (QEMU process)",
        "Halted share per core",
        "Top spinning locks",
      ]),
    );
  });
});
