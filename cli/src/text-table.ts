// text-table.ts - aligns rows of cells into columns for the terminal (numbers right-aligned, text left).
// Pure; used by the monitor view and the benchmark table.

export type Alignment = "left" | "right";

export function formatTable(header: string[], rows: string[][], alignments: Alignment[]): string[] {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? "").length)),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, column) =>
        alignments[column] === "right" ? cell.padStart(widths[column]) : cell.padEnd(widths[column]),
      )
      .join("  ")
      .trimEnd();
  return [line(header), line(widths.map((width) => "-".repeat(width))), ...rows.map(line)];
}

export function percent(share: number | null | undefined, digits = 1): string {
  return share === null || share === undefined ? "-" : `${(share * 100).toFixed(digits)}%`;
}

export function decimal(value: number | null | undefined, digits = 1): string {
  return value === null || value === undefined ? "-" : value.toFixed(digits);
}
