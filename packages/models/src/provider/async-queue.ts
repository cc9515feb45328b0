/**
 * A push-to-pull bridge: producers push values, one consumer iterates them.
 *
 * @module
 */

/**
 * An unbounded single-consumer queue that is an `AsyncIterable`. Producers call
 * {@link AsyncQueue.push}, then {@link AsyncQueue.end} or {@link AsyncQueue.fail}.
 *
 * @internal
 */
export class AsyncQueue<T> implements AsyncIterable<T> {
  private readonly values: T[] = [];
  private waiter: { resolve: () => void } | undefined;
  private done = false;
  private error: { value: unknown } | undefined;

  /** Adds a value; ignored after {@link AsyncQueue.end} or {@link AsyncQueue.fail}. */
  push(value: T): void {
    if (this.done) return;
    this.values.push(value);
    this.wake();
  }

  /** Ends the iteration after the values already pushed. */
  end(): void {
    this.done = true;
    this.wake();
  }

  /** Ends the iteration with `error` after the values already pushed. */
  fail(error: unknown): void {
    if (this.done) return;
    this.error = { value: error };
    this.done = true;
    this.wake();
  }

  private wake(): void {
    const waiter = this.waiter;
    this.waiter = undefined;
    waiter?.resolve();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<T> {
    for (;;) {
      if (this.values.length > 0) {
        yield this.values.shift()!;
        continue;
      }
      if (this.done) {
        if (this.error) throw this.error.value;
        return;
      }
      await new Promise<void>((resolve) => {
        this.waiter = { resolve };
      });
    }
  }
}
