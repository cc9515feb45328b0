import type { RunResult, RunStream } from "@tinyllm/core";

/**
 * A {@link RunStream} whose run starts once `prepared` settles. When preparing fails, the stream
 * ends at once and `result` rejects with the error.
 */
export function lazyStream<T>(prepared: Promise<T>, start: (value: T) => RunStream, done: () => void): RunStream {
  const started = prepared.then(start);
  started.catch(() => undefined);
  const result: Promise<RunResult> = started.then((running) => running.result).finally(done);
  result.catch(() => undefined);
  const events = (async function* () {
    yield* await started;
  })();
  return Object.assign(events, { result });
}
