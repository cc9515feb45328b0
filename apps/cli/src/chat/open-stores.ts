import type { MemoryStore, SessionStore } from "@tinyllm/core";
import type { Runtime } from "@tinyllm/runtime";
import { withRuntime } from "../load-cli-config";
import { storeCall } from "./cli-store-errors";

/** Flags of the `sessions` and `memory` commands that pick the configuration. */
export interface StoreFlags {
  config?: string;
  json?: boolean;
}

/** Runs `action` with the runtime's session store; store errors print as usage errors or failures. */
export function withSessionStore<T>(flags: StoreFlags, action: (sessions: SessionStore, runtime: Runtime) => Promise<T>): Promise<T> {
  return withRuntime(configOnly(flags), {}, (runtime) => storeCall(() => action(runtime.sessionStore(), runtime)));
}

/** Runs `action` with the runtime's long-term memory store. */
export function withMemoryStore<T>(flags: StoreFlags, action: (memories: MemoryStore, runtime: Runtime) => Promise<T>): Promise<T> {
  return withRuntime(configOnly(flags), {}, async (runtime) => {
    // With an embedding model configured, memories are embedded and recalled by meaning too,
    // through the backend; with no backend reachable, recall stays lexical.
    if (runtime.config.memory.embedModel) await runtime.backend().catch(() => undefined);
    return storeCall(() => action(runtime.memoryStore(), runtime));
  });
}

const configOnly = (flags: StoreFlags) => (flags.config !== undefined ? { config: flags.config } : {});
