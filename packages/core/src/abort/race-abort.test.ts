import { describe, expect, it } from "vitest";
import { mergeAbortSignals } from "./merge-abort-signals";
import { raceAbort } from "./race-abort";

describe("raceAbort", () => {
  it("settles with the promise when the signal stays quiet", async () => {
    const controller = new AbortController();
    await expect(raceAbort(Promise.resolve(7), controller.signal)).resolves.toBe(7);
  });

  it("rejects with the abort reason, mapped by toError, while the promise keeps running", async () => {
    const controller = new AbortController();
    let finish!: (value: number) => void;
    const work = new Promise<number>((resolve) => (finish = resolve));
    const raced = raceAbort(work, controller.signal, { toError: (reason) => new Error(`stopped: ${String(reason)}`) });
    controller.abort("bye");
    await expect(raced).rejects.toThrow("stopped: bye");
    finish(3);
    await expect(work).resolves.toBe(3);
  });

  it("rejects at once on an aborted signal and returns the promise without one", async () => {
    await expect(raceAbort(Promise.resolve(1), AbortSignal.abort("gone"))).rejects.toBe("gone");
    const promise = Promise.resolve(2);
    expect(raceAbort(promise, undefined)).toBe(promise);
  });
});

describe("mergeAbortSignals", () => {
  it("aborts when any signal aborts, and passes single signals through", () => {
    const a = new AbortController();
    const b = new AbortController();
    const merged = mergeAbortSignals(a.signal, undefined, b.signal)!;
    expect(merged.aborted).toBe(false);
    b.abort("b");
    expect(merged.aborted).toBe(true);
    expect(merged.reason).toBe("b");
    expect(mergeAbortSignals(undefined, a.signal)).toBe(a.signal);
    expect(mergeAbortSignals()).toBeUndefined();
  });
});
