import { Hono } from "hono";
import { setCookie } from "hono/cookie";
import type { ApiKeys } from "../http/api-keys";
import { graphShape } from "../graphs-routes";
import type { ServerContext, ServerEnv } from "../server-context";
import { loginPage } from "./login-page";
import { viewerPage } from "./viewer-page";
import { viewerScript } from "./viewer-script";
import { viewerStyles } from "./viewer-styles";

/** The trace viewer at `/ui/`: every asset served from here, no CDN. */
export function uiRoutes(server: ServerContext, keys: ApiKeys): Hono<ServerEnv> {
  const app = new Hono<ServerEnv>();
  const headers = {
    "Content-Security-Policy": "default-src 'self'; style-src 'self' 'unsafe-inline'; script-src 'self'; img-src 'self' data:",
    "X-Content-Type-Options": "nosniff",
  };
  const asset = (type: string) => ({ "Content-Type": `${type}; charset=utf-8`, "Cache-Control": "no-cache", "X-Content-Type-Options": "nosniff" });
  app.get("/ui", (c) => c.redirect("/ui/"));
  // The graphs' shapes go into the page: the key cookie opens /ui and /v1/runs, not /v1/graphs.
  const page = () => viewerPage({ graphs: server.graphs.ids.map((id) => graphShape(server.graphs.get(id))) });
  app.get("/ui/", (c) => c.html(page(), 200, headers));
  app.get("/ui/runs/:id", (c) => c.html(page(), 200, headers));
  app.get("/ui/app.js", (c) => c.body(viewerScript, 200, asset("text/javascript")));
  app.get("/ui/app.css", (c) => c.body(viewerStyles, 200, asset("text/css")));
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
