import { describe, expect, it } from "vitest";
import { runCohort } from "../../src/analysis/cohort.ts";
import { cohortResultFrom, evaluateCohortMembers, runLocal } from "../../src/distributed/index.ts";
import { Scenario } from "../../src/scenario/schema.ts";

describe("cohort handler", () => {
  it("gives runCohort's member values and summaries, whatever the chunking", async () => {
    const payload = {
      scenario: Scenario.parse({
        species: "rat",
        injury: "permanent-ligation",
        therapy: { route: "intravenous" },
      }),
      seed: 5,
      readouts: ["lvef"],
      at: 672,
    };
    const reference = await runCohort({ ...payload, n: 3, workers: 0 });
    const chunked = (await runLocal({
      jobName: "cohort",
      totalMembers: 3,
      chunkSize: 2,
      payload,
    })) as number[][];
    expect(chunked).toEqual(evaluateCohortMembers(payload, 0, 3));
    const merged = cohortResultFrom(payload, chunked);
    expect(Array.from(merged.values)).toEqual(Array.from(reference.values));
    expect(merged.summaries).toEqual(reference.summaries);
  }, 20_000);
});
