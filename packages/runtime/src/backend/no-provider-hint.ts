/** How to get a model, for errors raised when there is none. */
export const noProviderHint = [
  "TinyLLM needs a model. Either:",
  "  • start Ollama (`ollama serve`) and pull the tier models, e.g. `ollama pull qwen2.5:0.5b && ollama pull qwen2.5:3b`;",
  '  • or run a GGUF file in-process: `tinyllm run "…" --model-file ./model.gguf`',
  "    (or set TINYLLM_MODEL_FILE, or llama.modelFile in tinyllm.yaml);",
  "    download one with `tinyllm models pull hf:<user>/<repo>/<file>.gguf`;",
  "  • or point at an OpenAI-compatible server: `--provider openai` with OPENAI_BASE_URL.",
  "Run `tinyllm doctor` to check the set-up.",
].join("\n");
