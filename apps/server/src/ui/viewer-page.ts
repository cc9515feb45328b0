import { html } from "hono/html";

/** The viewer's page (placeholder until the viewer lands). */
export function viewerPage({ graphs }: { graphs: readonly string[] }) {
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <title>TinyLLM runs</title>
      </head>
      <body>
        <h1>TinyLLM</h1>
        <p>Graphs: ${graphs.join(", ")}</p>
      </body>
    </html>`;
}
