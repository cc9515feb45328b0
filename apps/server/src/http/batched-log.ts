/** A line writer that gathers the lines of one turn of the event loop into one write. */
export interface BatchedLog {
  (line: string): void;
  /** Writes what is gathered now. */
  flush(): void;
  /** Writes what is gathered and stops watching for the process's exit. */
  close(): void;
}

/**
 * Wraps `write` so the lines logged during one turn of the event loop go out in one call, at the
 * next `setImmediate`: under load, one write for many requests instead of one each (stderr is
 * written synchronously when it is a file or a terminal). Lines are never reordered, and the
 * process writes what is left when it exits.
 */
export function batchedLog(write: (text: string) => void): BatchedLog {
  let pending: string[] = [];
  let scheduled = false;
  const flush = () => {
    scheduled = false;
    if (pending.length === 0) return;
    const text = `${pending.join("\n")}\n`;
    pending = [];
    write(text);
  };
  process.once("exit", flush);
  const log = ((line: string) => {
    pending.push(line);
    if (!scheduled) {
      scheduled = true;
      setImmediate(flush);
    }
  }) as BatchedLog;
  log.flush = flush;
  log.close = () => {
    process.removeListener("exit", flush);
    flush();
  };
  return log;
}
