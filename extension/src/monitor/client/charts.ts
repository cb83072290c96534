// charts.ts - the monitor's uPlot charts: the QEMU process's host CPU, halts per second (one line per core),
// and one stacked chart per core (busy / lock spin / idle spin / polling / halted, percent of time); above 16
// cores, per group of cores (common/series.ts groups them). Data comes from common/series.ts; colors from the
// VS Code theme's chart colors. Used by main.ts.

import uPlot from "uplot";
import {
  STACK_CATEGORIES,
  STACK_LABELS,
  coreCountOf,
  downsample,
  haltRateColumns,
  hostCpuColumns,
  seriesLabel,
  stackedColumns,
  type MonitorPoint,
  type StackCategory,
} from "../common/series";

const STACK_COLORS: Record<StackCategory, string> = {
  busy: "--vscode-charts-blue",
  lockSpin: "--vscode-charts-orange",
  idleSpin: "--vscode-charts-red",
  polling: "--vscode-charts-yellow",
  halted: "--vscode-charts-green",
};
const CORE_LINE_COLORS = [
  "--vscode-charts-blue",
  "--vscode-charts-green",
  "--vscode-charts-orange",
  "--vscode-charts-purple",
  "--vscode-charts-red",
  "--vscode-charts-yellow",
];
const FALLBACK_COLOR = "#888888";

function themeColor(variable: string): string {
  const value = getComputedStyle(document.body).getPropertyValue(variable).trim();
  return value === "" ? FALLBACK_COLOR : value;
}

/** "14:05:30": one line per tick label, so narrow per-core charts stay legible. */
function clockLabel(seconds: number): string {
  return new Date(seconds * 1000).toLocaleTimeString([], { hour12: false });
}

function axisOptions(): uPlot.Axis[] {
  const foreground = themeColor("--vscode-foreground");
  const grid = { stroke: themeColor("--vscode-editorWidget-border"), width: 1 };
  return [
    { stroke: foreground, grid, ticks: grid, space: 70, values: (_plot, splits) => splits.map(clockLabel) },
    { stroke: foreground, grid, ticks: grid, size: 50 },
  ];
}

type Columns = Array<Array<number | null>>;

interface Chart {
  plot: uPlot;
  columns(points: readonly MonitorPoint[]): Columns;
}

export class MonitorCharts {
  private charts: Chart[] = [];
  private coreCount = -1;
  /** Labels of the per-core series the charts were built for ("CPU 3", "CPUs 4-7"). */
  private labels = "";

  constructor(
    private readonly hostContainer: HTMLElement,
    private readonly haltsContainer: HTMLElement,
    private readonly coresContainer: HTMLElement,
    private readonly windowSeconds: () => number,
  ) {
    new ResizeObserver(() => this.resize()).observe(document.body);
  }

  /**
   * Applies the points to every chart (rebuilding them when the core count changed), each chart getting no
   * more points than it is pixels wide (downsample), which keeps a frame cheap at 50 Hz.
   */
  update(points: readonly MonitorPoint[]): void {
    const coreCount = coreCountOf(points);
    const newest = points[points.length - 1];
    const labels = Array.from({ length: coreCount }, (_, series) => seriesLabel(newest, series));
    if (coreCount !== this.coreCount || labels.join() !== this.labels) this.rebuild(coreCount, labels);
    const reduced = new Map<number, MonitorPoint[]>();
    for (const chart of this.charts) {
      const width = Math.max(50, Math.round(chart.plot.bbox.width / devicePixelRatio));
      let forWidth = reduced.get(width);
      if (forWidth === undefined) {
        forWidth = downsample(points, width);
        reduced.set(width, forWidth);
      }
      chart.plot.setData(chart.columns(forWidth) as uPlot.AlignedData);
    }
  }

  /** The number of points (after downsampling) the first chart draws (for tests reading the page). */
  get drawnPointCount(): number {
    return this.charts[0]?.plot.data[0]?.length ?? 0;
  }

  private rebuild(coreCount: number, labels: string[]): void {
    for (const chart of this.charts) chart.plot.destroy();
    this.charts = [];
    this.coreCount = coreCount;
    this.labels = labels.join();
    this.coresContainer.replaceChildren();

    this.charts.push(
      this.lineChart(
        this.hostContainer,
        "host CPU %",
        [{ label: "QEMU process", color: "--vscode-charts-purple" }],
        hostCpuColumns,
      ),
    );
    const coreLines = Array.from({ length: coreCount }, (_, core) => ({
      label: labels[core],
      color: CORE_LINE_COLORS[core % CORE_LINE_COLORS.length],
    }));
    this.charts.push(
      this.lineChart(this.haltsContainer, "halts/s", coreLines, (points) =>
        haltRateColumns(points, coreCount),
      ),
    );
    for (let core = 0; core < coreCount; core++) {
      const section = document.createElement("section");
      section.className = "core";
      const heading = document.createElement("h2");
      heading.textContent = labels[core];
      const container = document.createElement("div");
      container.className = "chart";
      container.dataset.core = String(core);
      section.append(heading, container);
      this.coresContainer.append(section);
      this.charts.push(this.stackedChart(container, core));
    }
  }

  private baseOptions(
    container: HTMLElement,
    height: number,
  ): Pick<uPlot.Options, "width" | "height" | "scales" | "axes" | "cursor" | "legend"> {
    return {
      width: Math.max(200, container.clientWidth),
      height,
      scales: {
        x: {
          time: true,
          range: (_plot, _minimum, maximum) => [maximum - this.windowSeconds(), maximum],
        },
      },
      axes: axisOptions(),
      cursor: { drag: { x: false, y: false } },
      legend: { live: false },
    };
  }

  private lineChart(
    container: HTMLElement,
    unit: string,
    lines: Array<{ label: string; color: string }>,
    columns: (points: readonly MonitorPoint[]) => Columns,
  ): Chart {
    const base = this.baseOptions(container, 140);
    const options: uPlot.Options = {
      ...base,
      scales: { ...base.scales, y: { range: (_plot, _minimum, maximum) => [0, Math.max(1, maximum * 1.1)] } },
      series: [
        {},
        ...lines.map((line) => ({
          label: line.label,
          stroke: themeColor(line.color),
          width: 1.5,
          value: (_plot: uPlot, value: number | null) =>
            value === null ? "-" : `${value.toFixed(1)} ${unit}`,
        })),
      ],
    };
    return { plot: new uPlot(options, [[], ...lines.map(() => [])], container), columns };
  }

  /**
   * Stacked shares as overlapping filled areas: series hold cumulative tops, drawn from the highest stack
   * level (halted, the total) down to busy, each opaque fill covering the part of the ones before it.
   */
  private stackedChart(container: HTMLElement, core: number): Chart {
    const levels = [...STACK_CATEGORIES].reverse();
    const base = this.baseOptions(container, 110);
    const options: uPlot.Options = {
      ...base,
      scales: { ...base.scales, y: { range: [0, 100] } },
      series: [
        {},
        ...levels.map((category) => ({
          label: STACK_LABELS[category],
          stroke: themeColor(STACK_COLORS[category]),
          fill: themeColor(STACK_COLORS[category]),
          width: 0,
          points: { show: false },
        })),
      ],
    };
    const columns = (points: readonly MonitorPoint[]): Columns => {
      const [times, ...tops] = stackedColumns(points, core);
      return [times, ...tops.reverse()];
    };
    return { plot: new uPlot(options, [[], ...levels.map(() => [])], container), columns };
  }

  private resize(): void {
    for (const chart of this.charts) {
      const width = Math.max(200, chart.plot.root.parentElement?.clientWidth ?? 200);
      if (width !== chart.plot.width) chart.plot.setSize({ width, height: chart.plot.height });
    }
  }
}
