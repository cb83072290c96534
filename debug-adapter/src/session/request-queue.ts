// request-queue.ts - runs the DAP requests that talk to GDB one after another, in arrival order, so that a
// sequence such as "pause the VM, change breakpoints, resume" is never interleaved with another request.
// Requests that must answer at once (disconnect, terminate, threads, toroSnapshot) bypass it; see
// toro-debug-session.ts.

export class RequestQueue {
  private tail: Promise<unknown> = Promise.resolve();

  /** Runs `work` once every earlier item has settled; its own result or error is passed through. */
  run<Result>(work: () => Promise<Result>): Promise<Result> {
    const result = this.tail.then(work, work);
    this.tail = result.catch(() => undefined);
    return result;
  }
}
