import { createHash, timingSafeEqual } from "node:crypto";

/** Checks bearer keys in constant time. */
export interface ApiKeys {
  /** True when keys are configured. */
  readonly enabled: boolean;
  /** The key if it is one of the configured keys, else undefined. */
  match(candidate: string | undefined): string | undefined;
}

const digest = (text: string) => createHash("sha256").update(text).digest();

/** Keys from a list (empty entries dropped). */
export function createApiKeys(keys: readonly string[]): ApiKeys {
  const list = keys.map((key) => key.trim()).filter((key) => key.length > 0);
  const digests = list.map((key) => ({ key, digest: digest(key) }));
  return {
    enabled: list.length > 0,
    match(candidate) {
      if (candidate === undefined || candidate.length === 0) return undefined;
      const given = digest(candidate);
      let found: string | undefined;
      for (const entry of digests) if (timingSafeEqual(entry.digest, given)) found = entry.key;
      return found;
    },
  };
}

/** Keys from `TINYLLM_API_KEYS` (comma-separated) and the config. */
export function apiKeysFrom(env: Record<string, string | undefined>, configured: readonly string[] = []): string[] {
  return [...(env.TINYLLM_API_KEYS ?? "").split(","), ...configured].map((key) => key.trim()).filter((key) => key.length > 0);
}

/** True for addresses only this machine can reach. */
export function isLoopback(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, "").toLowerCase();
  return bare === "localhost" || bare === "::1" || /^127(\.\d{1,3}){3}$/.test(bare) || bare === "::ffff:127.0.0.1";
}
