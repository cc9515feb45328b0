import { TinyLLMError } from "@tinyllm/core";
import { parseServeArgs, serveUsage } from "./serve-usage";
import { serve } from "./serve";

/** `tinyllm-server` (and `pnpm --filter @tinyllm/server start`): the server from the command line. */
async function main(argv: string[]): Promise<void> {
  const parsed = parseServeArgs(argv);
  if (parsed.help) {
    process.stdout.write(serveUsage);
    return;
  }
  await serve(parsed.options);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  const message = TinyLLMError.isInstance(error) ? error.fullMessage : error instanceof Error ? error.message : String(error);
  process.stderr.write(`error: ${message}\n`);
  process.exitCode = TinyLLMError.isInstance(error) && error.code === "SERVER_BAD_REQUEST" ? 2 : 1;
});
