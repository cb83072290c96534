// row-tree-provider.ts - a tree view over view-model rows (tree-row.ts; flat, or one level of groups) with the
// EventEmitter + refresh() idiom, and the binding that keeps it in step with the TelemetryStore: redraws at
// most a few times a second, says when the kernel is not up yet, and marks the last snapshot of an ended
// session. cores-view.ts, spinlocks-view.ts and threads-view.ts each bind one (the Cores tree to two views).

import * as vscode from "vscode";
import type { ToroTelemetryBody } from "@toro-studio/debug-adapter/protocol";
import type { TelemetryStore } from "../telemetry/telemetry-store";
import { RefreshThrottle } from "./refresh-throttle";
import { viewMessage } from "./view-message";
import { sameRows, type TreeRow } from "./tree-row";

/** Tree views redraw at most this often (ms); the monitor webview follows every event. */
export const TREE_REFRESH_INTERVAL_MS = 250;

export class RowTreeProvider<Row extends TreeRow> implements vscode.TreeDataProvider<Row> {
  private rows: Row[] = [];
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;

  constructor(private readonly decorate: (row: Row, item: vscode.TreeItem) => void = () => undefined) {}

  /**
   * Shows `rows`, unless they equal the rows shown. Redrawing re-creates every TreeItem, and VS Code then
   * forgets the commands (with their arguments) of the previous items: a click that lands on a row during a
   * redraw does nothing. Telemetry keeps coming while the VM is stopped, when rows rarely change and
   * clicks matter (a click selects that vCPU), so identical rows are never redrawn.
   */
  refresh(rows: Row[]): void {
    if (sameRows(this.rows, rows)) return;
    this.rows = rows;
    this.changed.fire();
  }

  get currentRows(): readonly Row[] {
    return this.rows;
  }

  getChildren(element?: Row): Row[] {
    if (element === undefined) return this.rows;
    return (element.children ?? []) as Row[];
  }

  getTreeItem(row: Row): vscode.TreeItem {
    const collapsible =
      row.children === undefined
        ? vscode.TreeItemCollapsibleState.None
        : vscode.TreeItemCollapsibleState.Collapsed;
    const item = new vscode.TreeItem(row.label, collapsible);
    item.id = row.id;
    item.description = row.description;
    item.tooltip = new vscode.MarkdownString(row.tooltip);
    item.iconPath = new vscode.ThemeIcon(
      row.icon.codicon,
      row.icon.color === null ? undefined : new vscode.ThemeColor(row.icon.color),
    );
    item.contextValue = row.contextValue;
    item.accessibilityInformation = { label: `${row.label}: ${row.description}` };
    this.decorate(row, item);
    return item;
  }

  dispose(): void {
    this.changed.dispose();
  }
}

export interface RowViewOptions<Row extends TreeRow> {
  viewId: string;
  /** More views showing the same tree (the Cores view in the Run and Debug container too). */
  alsoInViews?: string[];
  rowsOf: (body: ToroTelemetryBody | null) => Row[];
  /** Shown when the session is live but this view has no rows (e.g. "No spinlock registered yet"). */
  emptyText: string;
  decorate?: (row: Row, item: vscode.TreeItem) => void;
  /** A short text beside the view's title while a body is shown (e.g. the Cores view's hypervisor). */
  summarize?: (body: ToroTelemetryBody | null) => string | undefined;
}

export function registerRowView<Row extends TreeRow>(
  context: vscode.ExtensionContext,
  store: TelemetryStore,
  options: RowViewOptions<Row>,
): RowTreeProvider<Row> {
  const provider = new RowTreeProvider<Row>(options.decorate);
  const views = [options.viewId, ...(options.alsoInViews ?? [])].map((viewId) =>
    vscode.window.createTreeView(viewId, { treeDataProvider: provider, showCollapseAll: false }),
  );
  const redraw = () => {
    const rows = options.rowsOf(store.latest);
    provider.refresh(rows);
    const phase =
      store.phase === "ended" ? "ended" : store.latest?.target === "stopped" ? "VM stopped" : undefined;
    const summary = options.summarize?.(store.latest);
    const description = [summary, phase].filter((part) => part !== undefined).join(" · ");
    const message = viewMessage(store, rows.length, options.emptyText);
    for (const view of views) {
      // Only changes are sent: VS Code holds a tree's redraw until 200 ms pass without a change of its data
      // or message (even an equal one), so needless ones would delay the next rows.
      if (view.message !== message) view.message = message;
      if (view.description !== (description === "" ? undefined : description))
        view.description = description === "" ? undefined : description;
    }
  };
  const throttle = new RefreshThrottle(TREE_REFRESH_INTERVAL_MS, redraw);
  // A new or ended session and its first readable telemetry (the rows F5 waits for) show at once.
  const unsubscribe = store.onDidChange((change) => {
    if (change.kind === "session" || change.firstReadable) throttle.requestNow();
    else throttle.request();
  });
  context.subscriptions.push(...views, provider, { dispose: () => (unsubscribe(), throttle.dispose()) });
  redraw();
  return provider;
}
