import type { IncomingMessage } from "node:http";
import type { Context } from "hono";

/**
 * A request header, by its lower-case name. On `@hono/node-server` it is read from Node's own
 * parsed headers, which costs less than `c.req.header` (that builds a web `Headers` of every
 * header of the request on first use); elsewhere (e.g. `app.fetch` in tests) it is
 * `c.req.header`. Node joins repeated headers with `, ` as `Headers` does, except for the few it
 * keeps the first of (`authorization`, `host`, `content-type`, …): read those with
 * `c.req.header`.
 */
export function requestHeader(c: Context, name: string): string | undefined {
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
  if (incoming !== undefined && typeof incoming.headers === "object" && incoming.headers !== null) {
    const value = incoming.headers[name];
    return typeof value === "string" ? value : value === undefined ? undefined : c.req.header(name);
  }
  return c.req.header(name);
}
