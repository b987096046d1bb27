import { runCohort } from "../src/analysis/cohort.ts";
import { createEvaluator } from "../src/analysis/pool.ts";
import { Scenario } from "../src/scenario/schema.ts";

export interface CohortTiming {
  /** measured members (each = an untreated and a treated full-model evaluation) */
  members: number;
  workers: number;
  seconds: number;
  /** seconds for 10,000 members at the measured rate */
  extrapolated10k: number;
  how: string;
}

/**
 * Times the cohort module (src/analysis/cohort.ts) through its own worker pool on the full model
 * (network + tissue), after a warm-up cohort on the same pool (thread start-up and JIT excluded),
 * and extrapolates linearly to 10,000 members.
 */
export async function timeCohort(members: number, workers: number): Promise<CohortTiming> {
  const scenario = Scenario.parse({
    species: "rat",
    injury: "permanent-ligation",
    therapy: { source: "hucmsc", route: "intravenous", dose_particles: 1e10 },
  });
  const evaluator = createEvaluator(workers);
  try {
    const opts = { scenario, readouts: ["lvef", "infarct_size"], at: 672, evaluator };
    // warm-up: every worker compiles the network and JIT-optimizes the solver on its first members
    await runCohort({ ...opts, n: 20 * Math.max(1, workers), seed: 99 });
    const t0 = performance.now();
    await runCohort({ ...opts, n: members, seed: 1 });
    const seconds = (performance.now() - t0) / 1000;
    return {
      members,
      workers: evaluator.workers,
      seconds,
      extrapolated10k: (seconds * 10_000) / members,
      how: `runCohort (src/analysis/cohort.ts) on its Piscina pool with ${evaluator.workers} worker threads, ${members} members measured after warm-up${members === 10_000 ? "" : `, extrapolated ×${(10_000 / members).toFixed(0)}`}`,
    };
  } finally {
    await evaluator.close();
  }
}
