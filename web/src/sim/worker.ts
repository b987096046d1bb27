/// <reference lib="webworker" />
// The ExoMI simulator in a Web Worker: the same TypeScript model code as the server, with the bundled
// data files provided as text (no file system in a browser), so the designer re-simulates locally.
import cargo from "../../../data/cargo.yaml?raw";
import designs from "../../../data/designs.yaml?raw";
import injury from "../../../data/injury.yaml?raw";
import network from "../../../data/network.yaml?raw";
import routes from "../../../data/routes.yaml?raw";
import species from "../../../data/species.yaml?raw";
import tissue from "../../../data/tissue.yaml?raw";
import { provideDataFiles } from "../../../src/data/files.ts";
import { Scenario } from "../../../src/scenario/schema.ts";
import { defaultNetwork, simulate } from "../../../src/scenario/simulate.ts";
import { readoutSeries, resolveReadouts } from "../../../src/server/readouts.ts";

provideDataFiles({
  "cargo.yaml": cargo,
  "designs.yaml": designs,
  "injury.yaml": injury,
  "network.yaml": network,
  "routes.yaml": routes,
  "species.yaml": species,
  "tissue.yaml": tissue,
});

export interface WorkerRequest {
  id: number;
  scenario: unknown;
  readouts?: string[];
}

self.onmessage = (e: MessageEvent<WorkerRequest>) => {
  const { id } = e.data;
  try {
    const t0 = performance.now();
    const scenario = Scenario.parse(e.data.scenario);
    const readouts = resolveReadouts(defaultNetwork(), e.data.readouts);
    const r = simulate(scenario);
    const series = readoutSeries(r, readouts);
    const result = {
      scenario,
      time_unit: "h" as const,
      times: Array.from(r.times),
      readouts,
      series,
      compute_ms: performance.now() - t0,
    };
    self.postMessage({ id, ok: true, result });
  } catch (err) {
    const e2 = err as Error & { field?: string };
    self.postMessage({ id, ok: false, error: e2.message, field: e2.field });
  }
};
