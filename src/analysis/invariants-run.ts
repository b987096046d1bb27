import { fileURLToPath } from "node:url";
import { Piscina } from "piscina";
import type { ScenarioInput } from "../scenario/schema.ts";
import { INVARIANT_IDS, INVARIANTS, type ScenarioCheck } from "./invariants.ts";
import checkChunk from "./invariants-worker.ts";
import { sampleScenarios } from "./scenario-arbitrary.ts";

/**
 * `exomi check-invariants` without the printing: n seeded random scenarios, each checked against
 * every invariant, on a Piscina pool of worker threads (workers = 0: in this thread). The report
 * lists checks in scenario order, so it does not depend on the number of workers.
 */

export const MAX_INVARIANT_SCENARIOS = 1_000_000;

export interface InvariantReport {
  n: number;
  seed: number;
  /** scenarios that satisfy every invariant */
  passed: number;
  /** per invariant: scenarios that violate it */
  counts: Record<string, number>;
  descriptions: Record<string, string>;
  /** the scenarios with at least one violation, in generation order */
  failures: ScenarioCheck[];
  elapsed_s: number;
}

const WORKER = fileURLToPath(new URL("./invariants-worker.mjs", import.meta.url));

export async function runInvariantCheck(opts: {
  n: number;
  seed: number;
  workers: number;
  chunkSize?: number;
  onProgress?: (done: number, total: number) => void;
}): Promise<InvariantReport> {
  const t0 = performance.now();
  const scenarios = sampleScenarios(opts.n, opts.seed);
  const chunk = Math.max(1, opts.chunkSize ?? 8);
  const chunks: ScenarioInput[][] = [];
  for (let i = 0; i < scenarios.length; i += chunk) chunks.push(scenarios.slice(i, i + chunk));
  const results: ScenarioCheck[][] = new Array(chunks.length);
  let done = 0;
  const finish = (i: number, r: ScenarioCheck[]) => {
    results[i] = r;
    done += r.length;
    opts.onProgress?.(done, scenarios.length);
  };
  if (opts.workers === 0) {
    chunks.forEach((c, i) => {
      finish(i, checkChunk(c));
    });
  } else {
    const pool = new Piscina({ filename: WORKER, minThreads: opts.workers, maxThreads: opts.workers });
    try {
      await Promise.all(chunks.map(async (c, i) => finish(i, (await pool.run(c)) as ScenarioCheck[])));
    } finally {
      await pool.destroy();
    }
  }
  const checks = results.flat();
  const counts = Object.fromEntries(INVARIANT_IDS.map((id) => [id, 0]));
  for (const c of checks) for (const v of c.violations) counts[v.invariant]++;
  const descriptions: Record<string, string> = {
    simulates: "a valid scenario simulates without an error",
    ...Object.fromEntries(INVARIANTS.map((i) => [i.id, i.description])),
  };
  const failures = checks.filter((c) => c.violations.length > 0);
  return {
    n: checks.length,
    seed: opts.seed,
    passed: checks.length - failures.length,
    counts,
    descriptions,
    failures,
    elapsed_s: (performance.now() - t0) / 1000,
  };
}
