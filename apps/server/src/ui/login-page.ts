import { html } from "hono/html";

/** The sign-in page of a server with API keys: one field, the key goes to an HttpOnly cookie. */
export function loginPage(problem: string | undefined) {
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <title>TinyLLM · sign in</title>
        <meta name="viewport" content="width=device-width, initial-scale=1" />
      </head>
      <body style="font: 15px system-ui, sans-serif; max-width: 28rem; margin: 4rem auto">
        <h1>TinyLLM</h1>
        <p>This server needs an API key.</p>
        ${problem ? html`<p role="alert" style="color: #b00">${problem}</p>` : ""}
        <form method="post" action="/ui/login">
          <label>API key <input name="key" type="password" autocomplete="current-password" required /></label>
          <button type="submit">Sign in</button>
        </form>
      </body>
    </html>`;
}
