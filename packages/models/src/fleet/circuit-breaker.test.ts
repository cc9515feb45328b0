import { describe, expect, it } from "vitest";
import { createCircuitBreaker } from "./circuit-breaker";

describe("createCircuitBreaker", () => {
  it("opens after the threshold of failures, goes half-open after the cool-down, and closes on a success", () => {
    let nowMs = 0;
    const breaker = createCircuitBreaker({ failureThreshold: 3, cooldownMs: 1_000, now: () => nowMs });
    expect(breaker.state).toBe("closed");
    expect(breaker.failure("500")).toBe(false);
    expect(breaker.failure("500")).toBe(false);
    expect(breaker.state).toBe("closed");
    expect(breaker.failure("500 again")).toBe(true);
    expect(breaker.state).toBe("open");
    expect(breaker.lastError).toBe("500 again");
    nowMs = 999;
    expect(breaker.state).toBe("open");
    nowMs = 1_000;
    expect(breaker.state).toBe("half-open");
    expect(breaker.success()).toBe(true);
    expect(breaker.state).toBe("closed");
    expect(breaker.lastError).toBeUndefined();
    expect(breaker.success()).toBe(false);
  });

  it("opens at once on a fatal failure, and a failed probe opens it for another cool-down", () => {
    let nowMs = 0;
    const breaker = createCircuitBreaker({ failureThreshold: 3, cooldownMs: 100, now: () => nowMs });
    expect(breaker.failure("refused", { fatal: true })).toBe(true);
    expect(breaker.state).toBe("open");
    nowMs = 150;
    expect(breaker.state).toBe("half-open");
    expect(breaker.failure("still refused")).toBe(false);
    expect(breaker.state).toBe("open");
    nowMs = 249;
    expect(breaker.state).toBe("open");
    nowMs = 250;
    expect(breaker.state).toBe("half-open");
  });

  it("a success resets the count of failures", () => {
    const breaker = createCircuitBreaker({ failureThreshold: 2 });
    breaker.failure("a");
    breaker.success();
    breaker.failure("b");
    expect(breaker.state).toBe("closed");
  });
});
