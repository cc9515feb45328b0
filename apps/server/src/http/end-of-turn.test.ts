import { describe, expect, it } from "vitest";
import { endOfTurn } from "./end-of-turn";

describe("endOfTurn", () => {
  it("holds every caller of a turn until the turn's immediates, then releases them together", async () => {
    const order: string[] = [];
    const first = endOfTurn();
    const second = endOfTurn();
    expect(second).toBe(first);
    void first.then(() => order.push("first"));
    void second.then(() => order.push("second"));
    await Promise.resolve();
    expect(order).toEqual([]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(order).toEqual(["first", "second"]);
  });

  it("gives a caller after the release a new turn", async () => {
    const earlier = endOfTurn();
    await earlier;
    const later = endOfTurn();
    expect(later).not.toBe(earlier);
    let released = false;
    void later.then(() => (released = true));
    await Promise.resolve();
    expect(released).toBe(false);
    await later;
    expect(released).toBe(true);
  });
});
