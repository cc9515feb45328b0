import { Hono } from "hono";
import { setCookie } from "hono/cookie";
import type { ApiKeys } from "../http/api-keys";
import type { ServerContext, ServerEnv } from "../server-context";
import { loginPage } from "./login-page";
import { viewerPage } from "./viewer-page";

/** The trace viewer at `/ui/`: every asset served from here, no CDN. */
export function uiRoutes(server: ServerContext, keys: ApiKeys): Hono<ServerEnv> {
  const app = new Hono<ServerEnv>();
  const headers = {
    "Content-Security-Policy": "default-src 'self'; style-src 'self' 'unsafe-inline'; script-src 'self' 'unsafe-inline'; img-src 'self' data:",
    "X-Content-Type-Options": "nosniff",
  };
  app.get("/ui", (c) => c.redirect("/ui/"));
  app.get("/ui/", (c) => c.html(viewerPage({ graphs: server.graphs.ids }), 200, headers));
  app.get("/ui/runs/:id", (c) => c.html(viewerPage({ graphs: server.graphs.ids }), 200, headers));
  app.get("/ui/login", (c) => c.html(loginPage(undefined), 200, headers));
  app.post("/ui/login", async (c) => {
    const form = await c.req.parseBody();
    const key = keys.match(typeof form.key === "string" ? form.key : undefined);
    if (!key) return c.html(loginPage("That key is not one of this server's keys."), 401, headers);
    setCookie(c, "tinyllm_key", key, { httpOnly: true, sameSite: "Strict", path: "/", secure: new URL(c.req.url).protocol === "https:" });
    return c.redirect("/ui/");
  });
  return app;
}
