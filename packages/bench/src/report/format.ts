import type { PassRate } from "../bench-summary";

/** A share 0–1 as a percentage with one decimal: `41.0%`. */
export function formatPercent(share: number): string {
  return `${(share * 100).toFixed(1)}%`;
}

/** A pass rate with its Wilson 95% interval: `41.0% (35.2–47.1%)`; `—` when nothing was scored. */
export function formatRate(rate: PassRate): string {
  if (rate.scored === 0) return "— (none scored)";
  return `${formatPercent(rate.rate)} (${(rate.low * 100).toFixed(1)}–${formatPercent(rate.high)})`;
}

/** A whole number with thousands separators: `12,345`. */
export function formatCount(n: number): string {
  return n.toLocaleString("en-US", { maximumFractionDigits: 0 });
}

/** A latency: `850 ms`, `2.31 s`. */
export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return "—";
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`;
}

/** A number with up to `digits` significant digits and thousands separators; `—` for null. */
export function formatNumber(n: number | null, digits = 3): string {
  if (n === null || !Number.isFinite(n)) return "—";
  if (n === 0) return "0";
  const magnitude = Math.floor(Math.log10(Math.abs(n)));
  return n.toLocaleString("en-US", { maximumFractionDigits: Math.max(0, digits - 1 - magnitude), useGrouping: true });
}
