/**
 * The fleet: several Ollama and OpenAI-compatible hosts behind one model provider, with a
 * VRAM-aware scheduler that reads the graph.
 *
 * @module
 */
export { createCircuitBreaker, type CircuitBreaker, type CircuitBreakerOptions, type CircuitState } from "./circuit-breaker";
export { createFleetProvider, type FleetProvider, type FleetProviderOptions } from "./create-fleet-provider";
export type { FleetCallContext, FleetEvent, FleetHost, FleetHostStatus, FleetLoadedModel, FleetModel, FleetStatus } from "./fleet-types";
