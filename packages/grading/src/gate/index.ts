export { createGateKind, type GateKindOptions, type GateVerdict } from "./gate-kind";
export { GateNodeConfigSchema, GateStepSchema, type GateNodeConfig, type GateStep } from "./gate-config";
