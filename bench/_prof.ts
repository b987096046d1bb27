import { readFileSync } from "node:fs";
import { simulate } from "../src/scenario/simulate.ts";
const example = JSON.parse(readFileSync(new URL("../examples/rat-mi-native-iv.json", import.meta.url), "utf8"));
for (let i = 0; i < 40; i++) simulate(example);
