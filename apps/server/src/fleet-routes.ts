import { Hono } from "hono";
import { serverError } from "./http/server-error";
import type { ServerContext, ServerEnv } from "./server-context";

/**
 * `GET /v1/fleet`: the fleet's placement as this server's scheduler sees it now (each host's
 * models, VRAM used and free, expiries, queues by priority, pins); 404 `SERVER_NOT_FOUND` when
 * the server runs on a single provider. `tinyllm models ps --server URL` prints it.
 */
export function fleetRoutes(server: ServerContext): Hono<ServerEnv> {
  const app = new Hono<ServerEnv>();
  app.get("/v1/fleet", async (c) => {
    const backend = await server.runtime.backend().catch(() => undefined);
    if (!backend?.fleet)
      throw serverError(
        "SERVER_NOT_FOUND",
        "this server runs on a single model provider, not a fleet",
        "list the hosts under `hosts:` in tinyllm.yaml and restart it",
      );
    return c.json(backend.fleet.status());
  });
  return app;
}
