import { describe, expect, it } from "vitest";
import { modelNodeRef } from "./model-kind";

describe("modelNodeRef", () => {
  it("takes the node's model, else the prompt's model unless the node sets a tier, else a tier", () => {
    expect(modelNodeRef({ model: "m:1b", tier: "T2" }, { model: "p:3b", tier: "T3" })).toEqual({ model: "m:1b" });
    expect(modelNodeRef({}, { model: "p:3b", tier: "T3" })).toEqual({ model: "p:3b" });
    expect(modelNodeRef({ tier: "T2" }, { model: "p:3b" })).toEqual({ tier: "T2" });
    expect(modelNodeRef({}, { tier: "T3" })).toEqual({ tier: "T3" });
    expect(modelNodeRef({}, undefined)).toEqual({ tier: "T1" });
  });
});
