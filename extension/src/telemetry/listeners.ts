// listeners.ts - a minimal typed event source for the plain (vscode-free) models, so they can be unit-tested
// without VS Code. Pairs with telemetry-store.ts. `on` returns the function that removes the listener.

export class Listeners<Event> {
  private readonly listeners = new Set<(event: Event) => void>();

  on(listener: (event: Event) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(event: Event): void {
    for (const listener of [...this.listeners]) listener(event);
  }
}
