import type { Backend, Runtime } from "@tinyllm/runtime";

/** A model the backend holds in memory, as `/api/ps` reports it. */
export interface BackingModel {
  name: string;
  sizeBytes: number;
  sizeVramBytes: number;
  loadedAtMs?: number;
  expiresAt?: string;
  contextLength?: number;
  /** The fleet host that holds it. */
  host?: string;
}

const tierIds = ["T0", "T1", "T2", "T3"] as const;
/** Ollama reports a model kept forever with an expiry this far ahead. */
const foreverMs = 200 * 365 * 24 * 3600 * 1000;

async function backendOrUndefined(runtime: Runtime): Promise<Backend | undefined> {
  return runtime.backend().catch(() => undefined);
}

/** The models the runtime's backend has loaded now. */
export async function loadedBackingModels(runtime: Runtime): Promise<BackingModel[]> {
  const backend = await backendOrUndefined(runtime);
  if (!backend) return [];
  const provider = backend.provider as unknown as {
    loadedModels?: () => Promise<Array<{ path: string; sizeBytes: number; loadedAtMs: number }>>;
    ps?: () => Promise<Array<{ name: string; sizeBytes?: number; vramBytes?: number; expiresAt?: string }>>;
  };
  if (backend.kind === "llama" && provider.loadedModels) {
    return (await provider.loadedModels()).map((model) => ({
      name: model.path.split(/[\\/]/).at(-1) ?? model.path,
      sizeBytes: model.sizeBytes,
      sizeVramBytes: 0,
      loadedAtMs: model.loadedAtMs,
      expiresAt: new Date(model.loadedAtMs + foreverMs).toISOString(),
    }));
  }
  if (backend.fleet) {
    // A fleet: what the scheduler placed on every host, the host in the name's details.
    const megabyte = 1024 * 1024;
    return backend.fleet.status().hosts.flatMap((host) =>
      host.loaded
        .filter((model) => !model.loading && host.kind === "ollama")
        .map((model) => ({
          name: model.model,
          sizeBytes: model.usedMB * megabyte,
          sizeVramBytes: model.usedMB * megabyte,
          expiresAt: model.expiresAt ?? new Date(Date.now() + foreverMs).toISOString(),
          host: host.name,
        })),
    );
  }
  if (backend.kind === "ollama" && provider.ps) {
    return (await provider.ps()).map((model) => ({
      name: model.name,
      sizeBytes: model.sizeBytes ?? 0,
      sizeVramBytes: model.vramBytes ?? 0,
      ...(model.expiresAt ? { expiresAt: model.expiresAt } : {}),
    }));
  }
  return [];
}

/** The distinct models the tiers map to on the backend. */
function tierModels(backend: Backend): string[] {
  const names = new Set<string>();
  for (const tier of tierIds) {
    try {
      names.add(backend.resolveModel({ tier }).model);
    } catch {
      // A tier with no model on this backend is not loaded.
    }
  }
  return [...names];
}

interface LoadControls {
  /** The embedded engine. */
  preload?: (model: string, options?: { abortSignal?: AbortSignal }) => Promise<void>;
  unloadModels?: () => Promise<number>;
  /** Ollama. */
  keepLoaded?: (model: string, options: { keepAlive: string | number; abortSignal?: AbortSignal }) => Promise<void>;
}

/**
 * Loads the tiers' models now (Ollama's empty-prompt preload); on Ollama they then stay for
 * `keepAlive` (default Ollama's own). Returns how many it loaded.
 */
export async function preloadBackingModels(runtime: Runtime, keepAlive: string | number | undefined, abortSignal?: AbortSignal): Promise<number> {
  const backend = await runtime.backend();
  const provider = backend.provider as unknown as LoadControls;
  const models = tierModels(backend);
  if (backend.kind === "llama" && provider.preload) {
    for (const model of models) await provider.preload(model, abortSignal ? { abortSignal } : {});
    return models.length;
  }
  if (backend.kind === "ollama" && provider.keepLoaded) {
    for (const model of models) await provider.keepLoaded(model, { keepAlive: keepAlive ?? "5m", ...(abortSignal ? { abortSignal } : {}) });
    return models.length;
  }
  return 0;
}

/** Frees the backend's models (Ollama's `keep_alive: 0`). Returns how many it freed. */
export async function unloadBackingModels(runtime: Runtime): Promise<number> {
  const backend = await backendOrUndefined(runtime);
  if (!backend) return 0;
  const provider = backend.provider as unknown as LoadControls;
  if (backend.kind === "llama" && provider.unloadModels) return provider.unloadModels();
  if (backend.kind === "ollama" && provider.keepLoaded) {
    const models = tierModels(backend);
    for (const model of models) await provider.keepLoaded(model, { keepAlive: 0 });
    return models.length;
  }
  return 0;
}

/** True when `keep_alive` means "unload now": `0`, `"0"`, `"0s"`, `"0m"`. */
export function isUnloadNow(keepAlive: unknown): boolean {
  if (keepAlive === 0) return true;
  return typeof keepAlive === "string" && /^0+(\.0+)?(ns|us|µs|ms|s|m|h)?$/.test(keepAlive.trim());
}
