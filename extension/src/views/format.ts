// format.ts - number formatting shared by the view models (core-rows.ts, spinlock-rows.ts, thread-rows.ts,
// status-text.ts). Pure; fixed "en-US" grouping so the rows read the same on every machine and in tests.

const grouped = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });

/** 1234567 -> "1,234,567". */
export function formatCount(value: number): string {
  return grouped.format(value);
}

/** 1234567 -> "1.2M", 5300 -> "5.3k", 950 -> "950". For counters that grow without bound (cycles). */
export function formatCompact(value: number): string {
  const units: Array<[number, string]> = [
    [1e12, "T"],
    [1e9, "G"],
    [1e6, "M"],
    [1e3, "k"],
  ];
  for (const [size, suffix] of units) {
    if (Math.abs(value) >= size) return `${(value / size).toFixed(1)}${suffix}`;
  }
  return String(Math.round(value));
}

/** A share 0..1 -> "99%"; one decimal below 10% so small shares stay visible ("0.4%"). */
export function formatShare(share: number): string {
  const percent = share * 100;
  if (percent > 0 && percent < 10) return `${percent.toFixed(1)}%`;
  return `${Math.round(percent)}%`;
}

/** Per-second rate: "19.8/s", "120/s"; "-" when unknown. */
export function formatRate(perSecond: number | null): string {
  if (perSecond === null) return "-";
  return perSecond >= 100 ? `${Math.round(perSecond)}/s` : `${perSecond.toFixed(1)}/s`;
}

/** Host CPU percent of one host core: "0.9%", "100%"; "-" when not measured yet. */
export function formatHostPercent(percent: number | null): string {
  if (percent === null) return "-";
  return percent >= 10 ? `${Math.round(percent)}%` : `${percent.toFixed(1)}%`;
}

/** Microseconds: "850 µs", "12.5 ms"; "-" when unknown. */
export function formatMicroseconds(microseconds: number | null): string {
  if (microseconds === null) return "-";
  if (microseconds >= 1000) return `${(microseconds / 1000).toFixed(1)} ms`;
  return `${Math.round(microseconds)} µs`;
}
