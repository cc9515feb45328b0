import type { Registry } from "prom-client";

/** One label value's buckets, sum and count. */
interface Cell {
  readonly labels: Record<string, string>;
  /** Observations per bucket (not cumulative); the last is those above every bound. */
  readonly buckets: Float64Array;
  sum: number;
  count: number;
}

/** One sample of the metric, as prom-client's registry reads it. */
interface Sample {
  labels: Record<string, string | number>;
  value: number;
  metricName: string;
}

/** Options of {@link RouteHistogram}. */
export interface RouteHistogramOptions {
  name: string;
  help: string;
  /** The one label, e.g. `route`. */
  labelName: string;
  /** Upper bounds, ascending. */
  buckets: readonly number[];
  /** Registries it is read from. */
  registers: readonly Registry[];
}

/**
 * A Prometheus histogram with one label, read by prom-client's registry as its own histograms
 * are (the same text: `_bucket` lines with `le`, `_sum`, `_count`). Observing is a map look-up,
 * a short loop and three additions: prom-client's `observe` makes a closure, a labels object and
 * a hash string each time, which a histogram observed on every request can do without.
 */
export class RouteHistogram {
  readonly name: string;
  readonly help: string;
  readonly type = "histogram";
  readonly aggregator = "sum";
  private readonly labelName: string;
  private readonly bounds: readonly number[];
  private cells = new Map<string, Cell>();

  constructor(options: RouteHistogramOptions) {
    this.name = options.name;
    this.help = options.help;
    this.labelName = options.labelName;
    this.bounds = [...options.buckets];
    for (const registry of options.registers) registry.registerMetric(this as unknown as Parameters<Registry["registerMetric"]>[0]);
  }

  /** Records `value` under the label value `label`. */
  observe(label: string, value: number): void {
    if (!Number.isFinite(value)) throw new TypeError(`Value is not a valid number: ${value}`);
    let cell = this.cells.get(label);
    if (cell === undefined) {
      cell = { labels: { [this.labelName]: label }, buckets: new Float64Array(this.bounds.length + 1), sum: 0, count: 0 };
      this.cells.set(label, cell);
    }
    const bounds = this.bounds;
    let index = 0;
    while (index < bounds.length && value > (bounds[index] as number)) index++;
    cell.buckets[index] = (cell.buckets[index] as number) + 1;
    cell.sum += value;
    cell.count += 1;
  }

  /** The metric as prom-client's registry reads it (cumulative buckets, then `+Inf`, sum and count, per label value). */
  async get(): Promise<{ name: string; help: string; type: string; aggregator: string; values: Sample[] }> {
    const values: Sample[] = [];
    const bucketName = `${this.name}_bucket`;
    for (const cell of this.cells.values()) {
      let cumulative = 0;
      this.bounds.forEach((bound, index) => {
        cumulative += cell.buckets[index] as number;
        values.push({ labels: { le: bound, ...cell.labels }, value: cumulative, metricName: bucketName });
      });
      values.push({ labels: { le: "+Inf", ...cell.labels }, value: cell.count, metricName: bucketName });
      values.push({ labels: { ...cell.labels }, value: cell.sum, metricName: `${this.name}_sum` });
      values.push({ labels: { ...cell.labels }, value: cell.count, metricName: `${this.name}_count` });
    }
    return { name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values };
  }

  /** Forgets every observation (the registry's `resetMetrics`). */
  reset(): void {
    this.cells = new Map();
  }
}
