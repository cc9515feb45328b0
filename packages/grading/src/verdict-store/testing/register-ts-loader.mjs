// `node --import ./register-ts-loader.mjs file.ts` runs a TypeScript file of this package
// through ./ts-loader-hooks.mjs. Test-only.
import { register } from "node:module";

register("./ts-loader-hooks.mjs", import.meta.url);
