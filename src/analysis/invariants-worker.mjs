// Piscina worker entry: registers tsx so the worker can run the TypeScript checker (as bin/exomi.mjs does).
import { register } from "tsx/esm/api";

register();
const mod = await import("./invariants-worker.ts");
export default mod.default;
