/**
 * Per-call cost of the delivery (pharmacokinetic) model for the benchmark scenario
 * (examples/rat-mi-native-iv.json: rat, 28 d, one intravenous dose): warm, median of many calls.
 * A treated cohort member runs it once with its own parameters, so this is a per-member cost.
 * `node bin/run-ts.mjs bench/delivery-timing.ts` prints the row on its own.
 */
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { type DeliveryInput, simulateDelivery } from "../src/delivery/index.ts";
import { median } from "./peers.ts";

export interface DeliveryTiming {
  label: string;
  msMedian: number;
  runs: number;
}

export function timeDelivery(runs = 200, warmMs = 1000): DeliveryTiming {
  const example = JSON.parse(
    readFileSync(new URL("../examples/rat-mi-native-iv.json", import.meta.url), "utf8"),
  );
  const th = example.therapy;
  const input: DeliveryInput = {
    species: example.species,
    injury: example.injury,
    doses: [{ time_h: th.time_h, dose_particles: th.dose_particles, route: th.route }],
    ligands: [],
    duration_h: example.duration_h,
  };
  const warm = performance.now();
  while (performance.now() - warm < warmMs) simulateDelivery(input);
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    simulateDelivery(input);
    ms.push(performance.now() - t);
  }
  return { label: "delivery (PK) per call, 28 d IV rat", msMedian: median(ms), runs };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const r = timeDelivery();
  console.log(`${r.label}: ${r.msMedian.toFixed(3)} ms (warm, median of ${r.runs})`);
}
