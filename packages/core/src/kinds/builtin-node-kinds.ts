import type { NodeKind } from "../node-kind/node-kind";
import { branchKind } from "./branch-kind";
import { entryKind } from "./entry-kind";
import { exitKind } from "./exit-kind";
import { fanoutKind } from "./fanout-kind";
import { joinKind } from "./join-kind";
import { subgraphKind } from "./subgraph-kind";
import { transformKind } from "./transform-kind";

/** The kinds every registry starts with: entry, exit, transform, branch, fanout, join, subgraph. */
export const builtinNodeKinds: readonly NodeKind<any>[] = [entryKind, exitKind, transformKind, branchKind, fanoutKind, joinKind, subgraphKind]; // eslint-disable-line @typescript-eslint/no-explicit-any
