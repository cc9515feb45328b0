import { Counter, Histogram, Registry } from "prom-client";
import { describe, expect, it } from "vitest";
import { CounterTally } from "./counter-tally";
import { RouteHistogram } from "./route-histogram";

const buckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];
const observations: [string, number][] = [
  ["/api/chat", 0.001],
  ["/api/chat", 0.005],
  ['/a"b\\c', 0.3],
  ["/api/chat", 200],
  ["/x", 1],
];

describe("RouteHistogram", () => {
  it("reads as prom-client's histogram with the same observations", async () => {
    const theirs = new Registry();
    const ours = new Registry();
    const reference = new Histogram({ name: "x_seconds", help: "latency", labelNames: ["route"], buckets, registers: [theirs] });
    const histogram = new RouteHistogram({ name: "x_seconds", help: "latency", labelName: "route", buckets, registers: [ours] });
    for (const [route, value] of observations) {
      reference.observe({ route }, value);
      histogram.observe(route, value);
    }
    expect(await ours.metrics()).toBe(await theirs.metrics());
    ours.resetMetrics();
    theirs.resetMetrics();
    expect(await ours.metrics()).toBe(await theirs.metrics());
  });

  it("refuses a value that is not a finite number", () => {
    const histogram = new RouteHistogram({ name: "y_seconds", help: "h", labelName: "route", buckets, registers: [] });
    expect(() => histogram.observe("/", Number.NaN)).toThrow(TypeError);
  });
});

describe("CounterTally", () => {
  it("adds its counts to the counter when the metrics are read, as inc would have", async () => {
    const theirs = new Registry();
    const ours = new Registry();
    const reference = new Counter({ name: "r_total", help: "requests", labelNames: ["route", "method", "status"], registers: [theirs] });
    const tally = new CounterTally(["route", "method", "status"]);
    new Counter({
      name: "r_total",
      help: "requests",
      labelNames: ["route", "method", "status"],
      registers: [ours],
      collect() {
        tally.flush(this);
      },
    });
    const counts: [string, string, string][] = [
      ["/api/chat", "POST", "200"],
      ["/api/chat", "POST", "200"],
      ["/api/chat", "POST", "429"],
      ["unmatched", "GET", "404"],
    ];
    for (const [route, method, status] of counts) {
      reference.inc({ route, method, status });
      tally.add(route, method, status);
    }
    expect(await ours.metrics()).toBe(await theirs.metrics());
    reference.inc({ route: "/api/chat", method: "POST", status: "200" }, 3);
    tally.add("/api/chat", "POST", "200", 3);
    expect(await ours.metrics()).toBe(await theirs.metrics());
  });

  it("takes one or two labels", async () => {
    const registry = new Registry();
    const tally = new CounterTally(["status", "source"]);
    new Counter({
      name: "runs_total",
      help: "runs",
      labelNames: ["status", "source"],
      registers: [registry],
      collect() {
        tally.flush(this);
      },
    });
    tally.add("ok", "api/chat");
    tally.add("ok", "api/chat");
    tally.add("failed", "v1/runs");
    const text = await registry.metrics();
    expect(text).toContain('runs_total{status="ok",source="api/chat"} 2');
    expect(text).toContain('runs_total{status="failed",source="v1/runs"} 1');
    const single = new CounterTally(["direction"]);
    expect(() => single.add("in")).not.toThrow();
  });
});
