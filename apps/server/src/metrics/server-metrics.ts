import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import { runSpans, type RunResult } from "@tinyllm/core";
import { CounterTally } from "./counter-tally";
import { RouteHistogram } from "./route-histogram";
import type { FleetProvider } from "@tinyllm/models";

/** The server's Prometheus metrics, in a registry of their own. */
export interface ServerMetrics {
  readonly registry: Registry;
  /** Counts a finished HTTP request. */
  request(route: string, method: string, status: number, durationSeconds: number): void;
  /** Records the time to the first answer token of a streamed request. */
  firstToken(route: string, seconds: number): void;
  /** Records a finished run: status, tokens, and the gate's verdict by route. */
  run(result: RunResult, source: string): void;
  /** Sets how many runs wait for a slot and how many run. */
  queue(queued: number, running: number): void;
  /** Sets how many models the backend holds. */
  loadedModels(count: number): void;
  /**
   * Follows a fleet's scheduler: model loads, evictions and load time by host, queue wait by
   * priority, and the queue, VRAM and hosts up at each scrape. Returns the function that stops.
   */
  watchFleet(fleet: FleetProvider): () => void;
  /** The metrics in Prometheus text format, and its content type. */
  render(): Promise<{ contentType: string; body: string }>;
}

/** Creates the server's metrics (prom-client), with Node's process metrics under `tinyllm_`. */
export function createServerMetrics(): ServerMetrics {
  const registry = new Registry();
  // Per-request counts and the queue's gauges are kept here and handed to prom-client when the
  // metrics are read: what a scrape shows is the same, and a request costs a few map look-ups.
  const requestTally = new CounterTally(["route", "method", "status"]);
  const runTally = new CounterTally(["status", "source"]);
  let queuedNow = 0;
  let runningNow = 0;
  collectDefaultMetrics({ register: registry, prefix: "tinyllm_" });
  const requests = new Counter({
    name: "tinyllm_http_requests_total",
    help: "HTTP requests by route, method and status",
    labelNames: ["route", "method", "status"],
    registers: [registry],
    collect() {
      requestTally.flush(this);
    },
  });
  const latency = new RouteHistogram({
    name: "tinyllm_http_request_duration_seconds",
    help: "HTTP request latency by route, until the response starts (a stream's first byte)",
    labelName: "route",
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120],
    registers: [registry],
  });
  const ttft = new Histogram({
    name: "tinyllm_time_to_first_token_seconds",
    help: "Time from the request to the first answer token, by route",
    labelNames: ["route"],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  const tokens = new Counter({
    name: "tinyllm_tokens_total",
    help: "Model tokens by direction (input, output)",
    labelNames: ["direction"],
    registers: [registry],
  });
  const runs = new Counter({
    name: "tinyllm_runs_total",
    help: "Runs by status and source",
    labelNames: ["status", "source"],
    registers: [registry],
    collect() {
      runTally.flush(this);
    },
  });
  const verdicts = new Counter({
    name: "tinyllm_gate_verdicts_total",
    help: "Final gate verdicts by route and outcome (pass, fail)",
    labelNames: ["route", "outcome"],
    registers: [registry],
  });
  const passRate = new Gauge({
    name: "tinyllm_gate_pass_rate",
    help: "Share of runs whose final gate verdict passed, by route, since the server started",
    labelNames: ["route"],
    registers: [registry],
  });
  const queueDepth = new Gauge({
    name: "tinyllm_queue_depth",
    help: "Runs waiting for a slot",
    registers: [registry],
    collect() {
      this.set(queuedNow);
    },
  });
  const running = new Gauge({
    name: "tinyllm_runs_in_progress",
    help: "Runs in progress",
    registers: [registry],
    collect() {
      this.set(runningNow);
    },
  });
  const models = new Gauge({ name: "tinyllm_loaded_models", help: "Models the backend holds in memory", registers: [registry] });
  const tally = new Map<string, { pass: number; total: number }>();
  const loads = new Counter({
    name: "tinyllm_model_loads_total",
    help: "Model loads the scheduler started, by host",
    labelNames: ["host"],
    registers: [registry],
  });
  const evictions = new Counter({
    name: "tinyllm_model_evictions_total",
    help: "Models the scheduler unloaded to make room, by host",
    labelNames: ["host"],
    registers: [registry],
  });
  const loadSeconds = new Histogram({
    name: "tinyllm_model_load_seconds",
    help: "Time to load a model, by host",
    labelNames: ["host"],
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120],
    registers: [registry],
  });
  const queueWait = new Histogram({
    name: "tinyllm_model_queue_wait_seconds",
    help: "Time a model call waited for a host (its model loaded, a slot free), by priority",
    labelNames: ["priority"],
    buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120],
    registers: [registry],
  });
  const failovers = new Counter({
    name: "tinyllm_model_failovers_total",
    help: "Model calls moved off a failing host, by host",
    labelNames: ["host"],
    registers: [registry],
  });
  const fleets = new Set<FleetProvider>();
  const fleetQueue = new Gauge({
    name: "tinyllm_model_queue_depth",
    help: "Model calls waiting for a host, by priority",
    labelNames: ["priority"],
    registers: [registry],
    collect() {
      this.reset();
      for (const fleet of fleets) {
        const { queue } = fleet.status();
        this.inc({ priority: "interactive" }, queue.interactive);
        this.inc({ priority: "batch" }, queue.batch);
      }
    },
  });
  const hostUp = new Gauge({
    name: "tinyllm_host_up",
    help: "1 when the host's circuit is closed (healthy), else 0",
    labelNames: ["host"],
    registers: [registry],
    collect() {
      this.reset();
      for (const fleet of fleets) for (const host of fleet.status().hosts) this.set({ host: host.name }, host.state === "closed" ? 1 : 0);
    },
  });
  const vramUsed = new Gauge({
    name: "tinyllm_host_vram_used_megabytes",
    help: "VRAM the models the scheduler placed on the host take, in MB",
    labelNames: ["host"],
    registers: [registry],
    collect() {
      this.reset();
      for (const fleet of fleets) for (const host of fleet.status().hosts) this.set({ host: host.name }, host.usedMB);
    },
  });
  void [fleetQueue, hostUp, vramUsed, queueDepth, running, requests, runs];
  return {
    registry,
    request(route, method, status, durationSeconds) {
      requestTally.add(route, method, String(status));
      latency.observe(route, durationSeconds);
    },
    firstToken(route, seconds) {
      ttft.observe({ route }, seconds);
    },
    run(result, source) {
      runTally.add(result.status, source);
      for (const span of runSpans(result)) {
        if (span.kind !== "model" || !span.tokens) continue;
        tokens.inc({ direction: "input" }, span.tokens.input ?? 0);
        tokens.inc({ direction: "output" }, span.tokens.output ?? 0);
      }
      const verdict = result.state.verdict as { pass?: boolean | null } | undefined;
      if (verdict && typeof verdict.pass === "boolean") {
        const route = typeof result.state.route === "string" ? result.state.route : "none";
        verdicts.inc({ route, outcome: verdict.pass ? "pass" : "fail" });
        const counts = tally.get(route) ?? { pass: 0, total: 0 };
        counts.total++;
        if (verdict.pass) counts.pass++;
        tally.set(route, counts);
        passRate.set({ route }, counts.pass / counts.total);
      }
    },
    queue(queued, inProgress) {
      queuedNow = queued;
      runningNow = inProgress;
    },
    loadedModels(count) {
      models.set(count);
    },
    watchFleet(fleet) {
      fleets.add(fleet);
      const stop = fleet.on((event) => {
        if (event.type === "load-start") loads.inc({ host: event.host });
        else if (event.type === "load-end") loadSeconds.observe({ host: event.host }, event.loadMs / 1000);
        else if (event.type === "evict") evictions.inc({ host: event.host });
        else if (event.type === "call-start") queueWait.observe({ priority: event.priority }, event.waitMs / 1000);
        else if (event.type === "failover") failovers.inc({ host: event.host });
      });
      return () => {
        stop();
        fleets.delete(fleet);
      };
    },
    async render() {
      return { contentType: registry.contentType, body: await registry.metrics() };
    },
  };
}
