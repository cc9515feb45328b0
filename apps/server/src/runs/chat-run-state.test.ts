import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import type { LoadedGraph, Runtime } from "@tinyllm/runtime";
import type { ServerEnv } from "../server-context";
import { chatRunState, type ChatRunState } from "./chat-run-state";

/** The state `chatRunState` gives a request without a session (no runtime call is made on that path). */
async function stateOf(messages: { role: "system" | "user" | "assistant"; content: string }[]): Promise<ChatRunState> {
  const app = new Hono<ServerEnv>();
  let state: ChatRunState | undefined;
  app.post("/", async (c) => {
    c.set("apiKey", "anonymous");
    state = await chatRunState(c, {} as Runtime, {
      graph: {} as LoadedGraph,
      conversation: { query: messages.at(-1)?.content ?? "", messages },
    });
    return c.text("ok");
  });
  expect((await app.request("/", { method: "POST" })).status).toBe(200);
  return state as ChatRunState;
}

describe("chatRunState without a session", () => {
  it("gives every run its own state objects, which a node kind may change in place", async () => {
    const first = await stateOf([{ role: "user", content: "hi" }]);
    const second = await stateOf([{ role: "user", content: "hi" }]);
    const conversation = first.state.conversation as { turns: unknown[] };
    const owners = first.state.memoryOwners as { user: string };
    expect(conversation).toEqual({ turns: [] });
    expect(owners).toEqual({ user: "default" });
    expect(second.state.conversation).not.toBe(conversation);
    expect(second.state.memoryOwners).not.toBe(owners);
    conversation.turns.push({ role: "user", content: "changed" });
    owners.user = "someone";
    expect(second.state.conversation).toEqual({ turns: [] });
    expect(second.state.memoryOwners).toEqual({ user: "default" });
  });

  it("keeps the history the client sent, without its last message", async () => {
    const { state } = await stateOf([
      { role: "system", content: "be brief" },
      { role: "user", content: "2+2?" },
      { role: "assistant", content: "4" },
      { role: "user", content: "and 3+3?" },
    ]);
    expect(state.conversation).toEqual({
      turns: [
        { role: "system", content: "be brief" },
        { role: "user", content: "2+2?" },
        { role: "assistant", content: "4" },
      ],
    });
  });
});
