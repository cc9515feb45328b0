/**
 * Fault modes shared by the loopback test servers (Ollama and OpenAI protocols).
 *
 * @module
 */

/**
 * A failure a test server injects into the requests it serves:
 *
 * - `model-not-found`: answer 404 as if the requested model did not exist;
 * - `server-error`: answer with HTTP `status` (default 500);
 * - `slow-first-byte`: wait `delayMs` before sending the response headers;
 * - `cut-stream`: send `afterChunks` parts of the answer (default 2), then either destroy the
 *   socket (`mode: "destroy"`, default) or end the response cleanly without the final part
 *   (`mode: "end"`);
 * - `invalid-json`: replace the text of structured (JSON-mode) answers with broken JSON.
 *
 * `times` limits the fault to that many matching requests; without it the fault stays until
 * cleared.
 */
export type TestServerFault =
  | { kind: "model-not-found"; times?: number }
  | { kind: "server-error"; status?: number; message?: string; times?: number }
  | { kind: "slow-first-byte"; delayMs: number; times?: number }
  | { kind: "cut-stream"; afterChunks?: number; mode?: "destroy" | "end"; times?: number }
  | { kind: "invalid-json"; times?: number };

/** The text `invalid-json` faults answer with: an object cut off in the middle. */
export const invalidJsonAnswer = '{"answer": "this JSON never ends", "items": [1, 2,';

/**
 * Holds the current fault of a test server and counts down `times`.
 *
 * @internal
 */
export class FaultState {
  private current: TestServerFault | undefined;
  private remaining = Number.POSITIVE_INFINITY;

  set(fault: TestServerFault | undefined): void {
    this.current = fault;
    this.remaining = fault?.times ?? Number.POSITIVE_INFINITY;
  }

  /**
   * The fault for a request, when `applies` accepts the current one; consumes one of its
   * `times`.
   */
  take(applies: (fault: TestServerFault) => boolean): TestServerFault | undefined {
    const fault = this.current;
    if (!fault || !applies(fault)) return undefined;
    this.remaining -= 1;
    if (this.remaining <= 0) this.set(undefined);
    return fault;
  }
}
