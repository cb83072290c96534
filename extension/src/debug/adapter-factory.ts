// adapter-factory.ts - starts the debug adapter for `toro` sessions: the adapter bundled into this
// extension's dist/adapter.js (built by scripts/build.mjs from debug-adapter/src/adapter.ts), run by the
// extension host's own Node (ELECTRON_RUN_AS_NODE lets desktop VS Code's Electron binary act as Node).
// Bundling keeps the .vsix self-contained: no workspace checkout or global install is needed.
//
// F5 gets a spare adapter when one is ready (spare-adapter.ts: a process started ahead of time, its GDB
// already running, reached through a unix socket in a private 0700 directory), and a freshly started one
// otherwise. One spare is kept while the workspace is trusted: started at activation, and again once the
// session that took the last one is live (or has ended), so its start-up never competes with a launch.
// Reaping: a spare that served a session is retired when the session ends; the waiting spare is stopped
// when `toro.gdbPath` changes (and replaced) and when the extension is deactivated.

import * as vscode from "vscode";
import { TORO_DEBUG_TYPE } from "@toro-studio/debug-adapter/protocol";
import { Setting } from "../ids";
import { readSettings } from "../settings";
import type { AdapterMessageConsumer } from "./adapter-messages";
import { SpareAdapter } from "./spare-adapter";

export const ADAPTER_SCRIPT = "dist/adapter.js";

/** After the session that took the spare goes live, the next spare starts this much later. */
const REFILL_DELAY_MS = 300;

export class ToroAdapterFactory
  implements vscode.DebugAdapterDescriptorFactory, AdapterMessageConsumer, vscode.Disposable
{
  private spare: SpareAdapter | undefined;
  /** Spares serving a session, by session id, retired when it ends. */
  private readonly serving = new Map<string, SpareAdapter>();
  private refillTimer: NodeJS.Timeout | undefined;
  private disposed = false;

  constructor(
    private readonly adapterScript: string,
    private readonly output: vscode.OutputChannel,
  ) {}

  async createDebugAdapterDescriptor(session: vscode.DebugSession): Promise<vscode.DebugAdapterDescriptor> {
    const spare = this.spare;
    this.spare = undefined;
    if (spare !== undefined && (await spare.ready) && spare.alive) {
      this.serving.set(session.id, spare);
      return new vscode.DebugAdapterNamedPipeServer(spare.socketPath);
    }
    void spare?.stop();
    this.refillSoon(); // none was ready: have one for the next F5
    return new vscode.DebugAdapterExecutable(process.execPath, [this.adapterScript], {
      env: { ELECTRON_RUN_AS_NODE: "1" },
    });
  }

  /** Starts a spare unless one waits, the workspace is untrusted or the extension is going. */
  refill(): void {
    clearTimeout(this.refillTimer);
    this.refillTimer = undefined;
    if (this.disposed || this.spare !== undefined || !vscode.workspace.isTrusted) return;
    try {
      this.spare = SpareAdapter.start({
        nodePath: process.execPath,
        adapterScript: this.adapterScript,
        gdbPath: readSettings().gdbPath,
        log: (text) => this.output.appendLine(text),
      });
    } catch (error) {
      // e.g. no private directory could be made: F5 then starts an adapter as without spares
      this.output.appendLine(`no spare debug adapter: ${(error as Error).message}`);
    }
  }

  refillSoon(): void {
    this.refillTimer ??= setTimeout(() => this.refill(), REFILL_DELAY_MS);
  }

  /** The waiting spare runs another GDB than the settings now name: replace it. */
  replaceSpare(): void {
    void this.spare?.stop();
    this.spare = undefined;
    this.refill();
  }

  telemetry(_session: vscode.DebugSession, _body: unknown, firstLive: boolean): void {
    if (firstLive) this.refillSoon();
  }

  /** A session ended: its spare (if it had one) exits on its own, or is stopped. */
  sessionTerminated(session: vscode.DebugSession): void {
    const served = this.serving.get(session.id);
    this.serving.delete(session.id);
    void served?.retire();
    this.refillSoon();
  }

  /** Stops every spare, waiting or serving (deactivation). */
  dispose(): void {
    this.disposed = true;
    clearTimeout(this.refillTimer);
    void this.spare?.stop();
    this.spare = undefined;
    for (const served of this.serving.values()) void served.stop();
    this.serving.clear();
  }
}

export function registerAdapterFactory(
  context: vscode.ExtensionContext,
  output: vscode.OutputChannel,
): ToroAdapterFactory {
  const factory = new ToroAdapterFactory(context.asAbsolutePath(ADAPTER_SCRIPT), output);
  context.subscriptions.push(
    factory,
    vscode.debug.registerDebugAdapterDescriptorFactory(TORO_DEBUG_TYPE, factory),
    vscode.debug.onDidTerminateDebugSession((session) => {
      if (session.type === TORO_DEBUG_TYPE) factory.sessionTerminated(session);
    }),
    vscode.workspace.onDidGrantWorkspaceTrust(() => factory.refill()),
    vscode.workspace.onDidChangeConfiguration((change) => {
      if (change.affectsConfiguration(`${Setting.section}.${Setting.gdbPath}`)) factory.replaceSpare();
    }),
  );
  factory.refillSoon(); // not inside activate(): its spawn would count in the activation time
  return factory;
}
