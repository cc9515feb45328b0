/**
 * TinyLLM grading: rubrics, checks in order of cost (rules, deterministic checks, an LLM judge),
 * the `gate` node kind and the SQLite verdict store.
 *
 * @module
 */
export {};
