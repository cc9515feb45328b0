import { html } from "hono/html";
import type { graphShape } from "../graphs-routes";

/**
 * The viewer's one HTML page, for `/ui/` and `/ui/runs/{id}` alike: the script at `/ui/app.js`
 * routes on the path. The served graphs' shapes (as `GET /v1/graphs` gives them) ride along in a
 * data attribute, escaped by `html`: the start form lists them and the run page draws them.
 */
export function viewerPage({ graphs }: { graphs: ReadonlyArray<ReturnType<typeof graphShape>> }) {
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <title>TinyLLM runs</title>
        <link rel="icon" href="data:," />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <link rel="stylesheet" href="/ui/app.css" />
        <script src="/ui/app.js" defer></script>
      </head>
      <body>
        <div id="app" data-graphs="${JSON.stringify(graphs)}"><noscript>The trace viewer needs JavaScript.</noscript></div>
      </body>
    </html>`;
}
