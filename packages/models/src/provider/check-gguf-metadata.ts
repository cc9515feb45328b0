import type * as NodeLlamaCppModule from "node-llama-cpp";
import { createModelError, errorMessage } from "./model-error";
import { ModelErrorCode } from "./model-error-codes";

type NodeLlamaCpp = typeof NodeLlamaCppModule;

/**
 * Refuses GGUF files that would make llama.cpp abort the process (GGML_ASSERT) instead of
 * failing: missing architecture, layer count, or attention/feed-forward sizes.
 */
export async function checkGgufMetadata({ module, path }: { module: NodeLlamaCpp; path: string }): Promise<void> {
  let metadata: Record<string, unknown>;
  try {
    const info = await module.readGgufFileInfo(path, { readTensorInfo: false, logWarnings: false });
    metadata = info.metadata as unknown as Record<string, unknown>;
  } catch (error) {
    throw createModelError({
      code: ModelErrorCode.ModelLoadFailed,
      message: `${path} is not a readable GGUF file: ${errorMessage(error)}`,
      hint: "check the file is a complete .gguf model (re-download it if it was cut short)",
      cause: error,
    });
  }
  const architecture = (metadata.general as Record<string, unknown> | undefined)?.architecture;
  const missing: string[] = [];
  if (typeof architecture !== "string") {
    missing.push("general.architecture");
  } else {
    const section = metadata[architecture] as Record<string, unknown> | undefined;
    const recurrent = /^(mamba|rwkv)/.test(architecture) || section?.ssm !== undefined;
    const required = recurrent ? ["embedding_length", "block_count"] : ["embedding_length", "block_count", "feed_forward_length", "attention.head_count"];
    for (const key of required) {
      if (readPath(section, key) === undefined) missing.push(`${architecture}.${key}`);
    }
  }
  if (missing.length > 0) {
    throw createModelError({
      code: ModelErrorCode.ModelLoadFailed,
      message: `${path} lacks GGUF metadata llama.cpp requires: ${missing.join(", ")}.`,
      hint: "re-convert the model with a current llama.cpp convert script",
    });
  }
}

function readPath(value: Record<string, unknown> | undefined, path: string): unknown {
  let current: unknown = value;
  for (const part of path.split(".")) {
    if (typeof current !== "object" || current === null) return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}
