import { Hono } from "hono";
import type { LoadedGraph } from "@tinyllm/runtime";
import type { ServerContext, ServerEnv } from "./server-context";

/** A served graph's shape, for drawing it: nodes, edges, entry and exits. */
export function graphShape(loaded: LoadedGraph) {
  const graph = loaded.graph;
  return {
    id: graph.id,
    version: graph.version,
    description: graph.description ?? null,
    entry: graph.entry,
    exits: [...graph.exits],
    nodes: graph.nodeList.map((node) => ({ id: node.id, kind: node.kind, description: node.description ?? null })),
    edges: graph.edges.map((edge) => ({ from: edge.from, to: edge.to, on: edge.on, conditional: edge.condition !== undefined })),
  };
}

/** `GET /v1/graphs` and `GET /v1/graphs/{id}`: the graphs served and their shapes. */
export function graphsRoutes(server: ServerContext): Hono<ServerEnv> {
  const app = new Hono<ServerEnv>();
  app.get("/v1/graphs", (c) => c.json({ object: "list", data: server.graphs.ids.map((id) => graphShape(server.graphs.get(id))) }));
  app.get("/v1/graphs/:id", (c) => c.json(graphShape(server.graphs.get(c.req.param("id")))));
  return app;
}
