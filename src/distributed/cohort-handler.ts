import { type CohortOptions, type CohortResult, sampleMember } from "../analysis/cohort.ts";
import { evaluateMember, uncertainParameters } from "../analysis/member.ts";
import { summarize } from "../analysis/sampling.ts";
import { Scenario } from "../scenario/schema.ts";
import { registerHandler } from "./handlers.ts";

/**
 * The cohort as a distributed job: the payload is the cohort's options (plain data); member i is
 * drawn with the cohort module's own `sampleMember` (a pure function of seed and i) and evaluated
 * with `evaluateMember`, untreated then treated, so results equal `runCohort`'s for the same member.
 */
export type CohortPayload = Pick<
  CohortOptions,
  | "scenario"
  | "seed"
  | "readouts"
  | "at"
  | "patientFactors"
  | "parameterUncertainty"
  | "manufacturing"
  | "regimen"
>;

/** per member: [untreated readouts…, treated readouts…] */
export function evaluateCohortMembers(payload: CohortPayload, start: number, count: number): number[][] {
  const opts = { ...payload, scenario: Scenario.parse(payload.scenario) };
  const params = uncertainParameters(opts.scenario);
  const out: number[][] = [];
  for (let i = start; i < start + count; i++) {
    const d = sampleMember(opts, i, params);
    out.push([
      ...evaluateMember(d.untreated, opts.readouts, [opts.at]),
      ...evaluateMember(d.treated, opts.readouts, [opts.at]),
    ]);
  }
  return out;
}

registerHandler("cohort", (payload, start, count) =>
  evaluateCohortMembers(payload as CohortPayload, start, count),
);

/** A CohortResult (as runCohort returns) from merged per-member results. */
export function cohortResultFrom(payload: CohortPayload, members: number[][]): CohortResult {
  const R = payload.readouts.length;
  const n = members.length;
  const values = new Float64Array(2 * n * R);
  members.forEach((m, i) => {
    values.set(m, 2 * i * R);
  });
  const summaries = payload.readouts.map((readout, r) => {
    const u = new Float64Array(n);
    const t = new Float64Array(n);
    const d = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      u[i] = members[i][r];
      t[i] = members[i][R + r];
      d[i] = t[i] - u[i];
    }
    return { readout, untreated: summarize(u), treated: summarize(t), difference: summarize(d) };
  });
  return { n, seed: payload.seed, at: payload.at, readouts: payload.readouts, summaries, values };
}
