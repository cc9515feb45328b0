import type { NodeRegistry } from "@tinyllm/core";

/** The node kinds the CLI knows: the built-in kinds of @tinyllm/core. */
export async function createRegistry(): Promise<NodeRegistry> {
  const { createNodeRegistry, builtinNodeKinds } = await import("@tinyllm/core");
  return createNodeRegistry(builtinNodeKinds);
}
