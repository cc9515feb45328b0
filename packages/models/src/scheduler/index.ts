/**
 * Model placement: which models are loaded on which host, what to evict, which call starts.
 * Policies (Ollama's, LRU, TinyLLM's, Belady's offline optimum) share one interface and
 * return decisions as data; a discrete-event simulator replays request traces against them.
 *
 * @module
 */
export {
  PlacementInputError,
  parseSetup,
  parseTrace,
  type CallPriority,
  type PlacementHost,
  type PlacementModel,
  type PlacementSetup,
  type TraceCall,
} from "./trace";
export {
  fitsOn,
  fitsOnCpu,
  freeMB,
  type AnnouncedCall,
  type HostView,
  type LoadedModelView,
  type PlacementDecision,
  type PlacementPolicy,
  type PlacementView,
  type WaitingCall,
} from "./placement-policy";
export { CPU_DECODE_MB_PER_S, GPU_DECODE_MB_PER_S, tokensPerSecond, type DecodeOptions } from "./tokens-per-second";
export {
  percentile,
  simulatePlacement,
  type CallOutcome,
  type PlacementResult,
  type PlacementSummary,
  type SimulatePlacementOptions,
} from "./simulate-placement";
export { createOllamaPolicy, type OllamaPolicyOptions } from "./ollama-policy";
export { createLruPolicy } from "./lru-policy";
export { createBeladyPolicy } from "./belady-policy";
export { createTinyLLMPolicy, type TinyLLMPolicyOptions } from "./tinyllm-policy";
