let lastMs = Number.NaN;
let lastIso = "";

/**
 * The time now as `new Date().toISOString()` writes it. Formatting a date costs more than the
 * rest of a log line; under load many requests share a millisecond, and so share the string.
 */
export function isoNow(): string {
  const now = Date.now();
  if (now !== lastMs) {
    lastMs = now;
    lastIso = new Date(now).toISOString();
  }
  return lastIso;
}
