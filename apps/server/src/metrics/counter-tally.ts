import type { Counter } from "prom-client";

/** One label set's count in a {@link CounterTally}, not yet added to its counter. */
export interface TallyCell {
  /** The label set, as the counter takes it. */
  readonly labels: Record<string, string>;
  /** Counted since the last flush. */
  count: number;
}

type Level = Map<string, Level | TallyCell>;

/**
 * Counts by label set for a prom-client counter, added to the counter when the metrics are read
 * (its `collect` hook calls {@link CounterTally.flush}), so what a scrape shows is exact. Counting
 * is a look-up in nested maps by the label values and an addition: no labels object, hash string
 * or validation per count, which prom-client's `inc` makes every time.
 */
export class CounterTally {
  private readonly root: Level = new Map();
  private readonly cells: TallyCell[] = [];

  /** `labelNames`: the counter's labels, in the order {@link CounterTally.add} takes their values. */
  constructor(private readonly labelNames: readonly string[]) {
    if (labelNames.length < 1 || labelNames.length > 3) throw new Error("a CounterTally takes 1 to 3 labels");
  }

  /** Counts `by` (default 1) for the label values, given in the order of the label names. */
  add(first: string, second?: string, third?: string, by = 1): void {
    const values = this.labelNames.length;
    let level = this.root;
    let cell: Level | TallyCell | undefined = level.get(first);
    if (values > 1) {
      if (cell === undefined) level.set(first, (cell = new Map()));
      level = cell as Level;
      cell = level.get(second as string);
      if (values > 2) {
        if (cell === undefined) level.set(second as string, (cell = new Map()));
        level = cell as Level;
        cell = level.get(third as string);
      }
    }
    if (cell === undefined) {
      const labels: Record<string, string> = {};
      const given = [first, second, third];
      this.labelNames.forEach((name, index) => (labels[name] = given[index] as string));
      cell = { labels, count: 0 };
      level.set(values === 1 ? first : values === 2 ? (second as string) : (third as string), cell);
      this.cells.push(cell);
    }
    (cell as TallyCell).count += by;
  }

  /** Adds what was counted since the last flush to `counter`. */
  flush(counter: Counter<string>): void {
    for (const cell of this.cells) {
      if (cell.count === 0) continue;
      counter.inc(cell.labels, cell.count);
      cell.count = 0;
    }
  }
}
