// refresh-throttle.ts - limits how often a view redraws: telemetry may arrive at 50 Hz, a tree view needs no
// more than a few redraws a second (the monitor webview is the smooth one). Runs the latest request at most
// once per interval, always ending on the newest data. Pure (timers only); tested in refresh-throttle.test.ts.

export class RefreshThrottle {
  private timer: ReturnType<typeof setTimeout> | null = null;
  private lastRun = -Infinity;
  private pending = false;

  constructor(
    private readonly intervalMs: number,
    private readonly run: () => void,
    private readonly now: () => number = () => performance.now(),
  ) {}

  request(): void {
    this.pending = true;
    if (this.timer !== null) return;
    const wait = this.lastRun + this.intervalMs - this.now();
    if (wait <= 0) {
      this.flush();
      return;
    }
    this.timer = setTimeout(() => {
      this.timer = null;
      this.flush();
    }, wait);
  }

  /** Runs now, whenever it last ran (a change the user waits for); later requests count from here. */
  requestNow(): void {
    this.pending = true;
    this.flush();
  }

  /** Runs now if a request is pending. */
  flush(): void {
    if (!this.pending) return;
    this.pending = false;
    this.lastRun = this.now();
    this.run();
  }

  dispose(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.pending = false;
  }
}
