let turn: Promise<void> | undefined;
let release: (() => void) | undefined;

const releaseTurn = () => {
  const resolve = release as () => void;
  turn = undefined;
  release = undefined;
  resolve();
};

/**
 * Resolves at the next `setImmediate`, once the I/O callbacks of this turn of the event loop have
 * run; every caller in the turn shares one promise and one immediate.
 *
 * The server holds its whole answers (not streams) until then, so the answers finished in one
 * turn are written to their sockets back to back. On loopback and in virtual machines a write
 * that wakes an idle reader is what costs most in the kernel; written together, the first wakes
 * the client and the rest find it awake. Under load (`pnpm bench:server`, 64 connections) this
 * took the server from 0.43 to 0.70–0.93 of a bare hono app's requests per second (see
 * `benchmarks/server/README.md`); with one request at a time it adds no wait, as the immediate
 * runs right after the request's own callbacks. Under fake timers that fake `setImmediate`, whole
 * answers wait until the timers advance.
 */
export function endOfTurn(): Promise<void> {
  if (turn === undefined) {
    turn = new Promise<void>((resolve) => {
      release = resolve;
    });
    setImmediate(releaseTurn);
  }
  return turn;
}
