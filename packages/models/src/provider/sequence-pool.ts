import type { LlamaContextSequence } from "node-llama-cpp";
import { createAbortedError, throwIfAborted } from "./model-error";

const providerName = "llama";

/** A fixed set of context sequences handed out one caller at a time. */
export class SequencePool {
  private readonly free: LlamaContextSequence[];
  private readonly waiters: Array<(sequence: LlamaContextSequence) => void> = [];

  constructor(sequences: LlamaContextSequence[]) {
    this.free = [...sequences];
  }

  acquire({ abortSignal }: { abortSignal: AbortSignal }): Promise<LlamaContextSequence> {
    throwIfAborted({ abortSignal, provider: providerName });
    const sequence = this.free.pop();
    if (sequence) return Promise.resolve(sequence);
    return new Promise((resolvePromise, reject) => {
      const waiter = (next: LlamaContextSequence): void => {
        abortSignal.removeEventListener("abort", onAbort);
        resolvePromise(next);
      };
      const onAbort = (): void => {
        const index = this.waiters.indexOf(waiter);
        if (index >= 0) this.waiters.splice(index, 1);
        reject(createAbortedError({ provider: providerName, cause: abortSignal.reason }));
      };
      abortSignal.addEventListener("abort", onAbort, { once: true });
      this.waiters.push(waiter);
    });
  }

  release(sequence: LlamaContextSequence): void {
    const waiter = this.waiters.shift();
    if (waiter) waiter(sequence);
    else this.free.push(sequence);
  }
}
