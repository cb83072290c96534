// verdict.ts - how a benchmark row shows whether it met its target: "met", "MISSED" (capitals, to stand
// out in a table) or "-" when it could not be measured. Shared by the report files.

export function verdict(met: boolean | null): string {
  return met === null ? "-" : met ? "met" : "MISSED";
}
