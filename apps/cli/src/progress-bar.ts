/** A one-line progress bar on stderr (only when stderr is a terminal; else a line per 10%). */
export function createProgressBar(label: string): { update(done: number, total: number): void; finish(message: string): void } {
  const tty = process.stderr.isTTY === true;
  let lastDecile = -1;
  return {
    update(done, total) {
      const ratio = total > 0 ? Math.min(1, done / total) : 0;
      if (tty) {
        const width = 30;
        const filled = Math.round(ratio * width);
        process.stderr.write(
          `\r${label} [${"█".repeat(filled)}${" ".repeat(width - filled)}] ${(ratio * 100).toFixed(1)}% ${formatBytes(done)}/${formatBytes(total)}`,
        );
      } else {
        const decile = Math.floor(ratio * 10);
        if (decile !== lastDecile) {
          lastDecile = decile;
          process.stderr.write(`${label} ${decile * 10}% ${formatBytes(done)}/${formatBytes(total)}\n`);
        }
      }
    },
    finish(message) {
      process.stderr.write(`${tty ? "\r\x1b[K" : ""}${message}\n`);
    },
  };
}

/** `1.5 GB` */
export function formatBytes(bytes: number): string {
  const units = ["B", "KB", "MB", "GB", "TB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(unit === 0 ? 0 : 1)} ${units[unit]}`;
}
