// terminal-monitor.ts - draws monitor frames (monitor-view.ts): on a terminal it redraws in place with ANSI
// cursor moves; when the output is a pipe or file it prints a full frame at most once a second instead.

export class TerminalMonitor {
  private lastPrintMs = -Infinity;
  private drawn = false;

  constructor(
    private readonly stream: NodeJS.WriteStream = process.stdout,
    private readonly pipeIntervalMs = 1000,
  ) {}

  get isTerminal(): boolean {
    return this.stream.isTTY === true;
  }

  draw(lines: string[], nowMs: number, final = false): void {
    if (this.isTerminal) {
      const columns = this.stream.columns ?? 0;
      const width = columns > 0 ? columns : 120; // a pseudo-terminal may report 0 columns
      const clipped = lines.map((line) => (line.length > width ? line.slice(0, width - 1) : line));
      const home = this.drawn ? "\x1b[H" : "\x1b[2J\x1b[H";
      this.stream.write(home + clipped.map((line) => `${line}\x1b[K`).join("\n") + "\n\x1b[J");
      this.drawn = true;
    } else if (final || nowMs - this.lastPrintMs >= this.pipeIntervalMs) {
      this.stream.write(lines.join("\n") + "\n\n");
      this.lastPrintMs = nowMs;
    }
  }
}
