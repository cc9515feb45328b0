#!/usr/bin/env node
// Prints the path of a GGUF model to try TinyLLM with: ../shared/models/stories260K.gguf when it
// is there (and its sha256 matches), else a tiny random-weight model generated on the spot.
// Neither can follow instructions; they show the machinery working end to end, not wisdom.
import { resolveTestModel } from "../packages/models/dist/testing/index.js";

const model = await resolveTestModel();
process.stdout.write(`${model.path}\n`);
