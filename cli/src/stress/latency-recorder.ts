// latency-recorder.ts - keeps every response's latency (milliseconds with microsecond precision, as the
// load generator measures it) and gives percentiles. autocannon's own histogram rounds to whole
// milliseconds, which reads as "0 ms" for most answers of a local server. Pure; used by load-generator.ts.

export interface LatencySummary {
  p50: number;
  p99: number;
  max: number;
  mean: number;
}

export class LatencyRecorder {
  private values = new Float64Array(1024);
  private count = 0;
  private total = 0;

  record(milliseconds: number): void {
    if (this.count === this.values.length) {
      const grown = new Float64Array(this.values.length * 2);
      grown.set(this.values);
      this.values = grown;
    }
    this.values[this.count++] = milliseconds;
    this.total += milliseconds;
  }

  get size(): number {
    return this.count;
  }

  /** Nearest-rank percentiles; null when nothing was recorded. */
  summary(): LatencySummary | null {
    if (this.count === 0) return null;
    const sorted = this.values.slice(0, this.count).sort();
    const rank = (fraction: number) => sorted[Math.min(this.count - 1, Math.ceil(fraction * this.count) - 1)];
    return { p50: rank(0.5), p99: rank(0.99), max: sorted[this.count - 1], mean: this.total / this.count };
  }
}
