/**
 * Debian's Chromium as the browser tests drive it with playwright-core (`.ci/run` installs it;
 * flags from the toolchain notes): where it is, its flags, and a clear failure when it is missing.
 */
import { existsSync } from "node:fs";

/** Where `apt-get install -y chromium` puts it. */
export const TEST_CHROMIUM_PATH = "/usr/bin/chromium";

/** Headless, no sandbox (root in CI), no GPU, and nothing that reaches the network by itself. */
export const TEST_CHROMIUM_FLAGS: readonly string[] = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/**
 * The options for `chromium.launch`. Throws, naming `what` needs it, when Chromium is not
 * installed: the tests then fail (a failing beforeAll would only mark them skipped).
 */
export function testChromiumLaunchOptions(what: string): { executablePath: string; args: string[]; headless: true } {
  if (!existsSync(TEST_CHROMIUM_PATH)) throw new Error(`no Chromium at ${TEST_CHROMIUM_PATH}: run \`apt-get install -y chromium\` (Debian) to run ${what}`);
  return { executablePath: TEST_CHROMIUM_PATH, args: [...TEST_CHROMIUM_FLAGS], headless: true };
}
