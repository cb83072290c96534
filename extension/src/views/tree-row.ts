// tree-row.ts - the plain data a tree view shows for one row, produced by the pure view models
// (core-rows.ts, spinlock-rows.ts, thread-rows.ts) and turned into a vscode.TreeItem by row-tree-provider.ts.

export interface RowIcon {
  /** A codicon id, e.g. "debug-pause" (https://microsoft.github.io/vscode-codicons/). */
  codicon: string;
  /** A theme color id, e.g. "charts.green"; null for the default foreground. */
  color: string | null;
}

export interface TreeRow {
  /** Stable across updates, so VS Code keeps the selection while values change. */
  id: string;
  label: string;
  description: string;
  /** Markdown. */
  tooltip: string;
  icon: RowIcon;
  /** For `viewItem ==` when-clauses in package.json. */
  contextValue: string;
  /** Rows shown under this one (collapsed at first; VS Code then remembers the user's choice by id). */
  children?: readonly TreeRow[];
}

/**
 * Whether two row lists would show the same thing (rows are plain data: compared field by field, in order).
 * Views skip redrawing identical rows; see row-tree-provider.ts for why that matters beyond saving work.
 */
export function sameRows(previous: readonly TreeRow[], next: readonly TreeRow[]): boolean {
  return previous.length === next.length && JSON.stringify(previous) === JSON.stringify(next);
}
