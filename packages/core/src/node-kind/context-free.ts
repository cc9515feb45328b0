import type { NodeHandler } from "./node-kind";

/** Where a handler says it never reads its context. */
const contextFreeKey = Symbol("contextFree");

/**
 * Marks a built-in handler that never reads its {@link NodeContext} (entry, exit, transform): the
 * executor then makes no context for it (an object, two closures and a property definition a
 * node). A handler without the mark gets its context as always.
 * @internal
 */
export function contextFree(handler: NodeHandler): NodeHandler {
  (handler as NodeHandler & { [contextFreeKey]?: true })[contextFreeKey] = true;
  return handler;
}

/** True for a handler marked by {@link contextFree}. @internal */
export function isContextFree(handler: NodeHandler): boolean {
  return (handler as NodeHandler & { [contextFreeKey]?: true })[contextFreeKey] === true;
}
