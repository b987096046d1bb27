import { pathText } from "../analysis/case-paths.ts";
import {
  type CaseResult,
  checkReadouts,
  runValidation,
  type Tally,
  tally,
  type ValidationCase,
  type ValidationReport,
} from "../analysis/validate.ts";
import type { JobContext } from "./jobs.ts";

/**
 * `exomi validate` as a job: cases that share a baseline run together (runValidation caches the
 * baseline simulation within one call), and the job yields to the event loop between groups so the
 * server keeps answering while the claims are checked.
 */

export interface ValidationRow {
  id: string;
  claim: string;
  reference: string;
  study?: string;
  kind?: string;
  readout: string;
  readout_basis?: string;
  time_h: number;
  time_basis: string;
  /** direct: the readout is an input the scenario sets or one edge from one; else mechanistic */
  class: "direct" | "mechanistic";
  /** edges from the nearest input (null: no input reaches the readout) */
  distance: number | null;
  path: string;
  /** rules of contested edges on a shortest input → readout path */
  contested: string[];
  expect: string;
  predicted: string;
  baseline: number;
  scenario: number;
  rel_change: number;
  agree: boolean;
}

export interface ValidationSummary {
  threshold: number;
  agree: number;
  total: number;
  percent: number;
  mechanistic: Tally;
  direct: Tally;
  rows: ValidationRow[];
  out_of_scope: { id: string; claim: string; reference: string; reason: string }[];
}

export async function runValidationJob(
  cases: ValidationCase[],
  threshold: number | undefined,
  ctx: JobContext,
): Promise<ValidationSummary> {
  checkReadouts(cases);
  const inScope = cases.filter((c) => !c.out_of_scope);
  const groups = new Map<string, ValidationCase[]>();
  for (const c of inScope) {
    const key = JSON.stringify(c.baseline ?? null);
    groups.set(key, [...(groups.get(key) ?? []), c]);
  }
  const results = new Map<string, CaseResult>();
  let used = threshold;
  ctx.progress(0, inScope.length, "simulating claims");
  for (const group of groups.values()) {
    await ctx.tick();
    const report: ValidationReport = runValidation(group, { threshold });
    used = report.threshold;
    for (const r of report.results) results.set(r.case.id, r);
    ctx.progress(results.size, inScope.length, `${results.size} of ${inScope.length} claims`);
  }
  const rows: ValidationRow[] = inScope.map((c) => {
    const r = results.get(c.id)!;
    return {
      id: c.id,
      claim: c.claim,
      reference: c.reference,
      study: c.study,
      kind: c.kind,
      readout: c.readout,
      readout_basis: c.readout_basis,
      time_h: r.time_h,
      time_basis: c.time_basis,
      class: r.path.cls,
      distance: r.path.distance,
      path: pathText(r.path),
      contested: r.path.contested.map((e) => e.rule),
      expect: c.expect,
      predicted: r.predicted,
      baseline: r.baseline,
      scenario: r.scenario,
      rel_change: r.relChange,
      agree: r.agree,
    };
  });
  const agree = rows.filter((r) => r.agree).length;
  const byClass = tally([...results.values()]);
  return {
    threshold: used ?? 0.05,
    agree,
    total: rows.length,
    percent: rows.length ? (100 * agree) / rows.length : 0,
    mechanistic: byClass.mechanistic,
    direct: byClass.direct,
    rows,
    out_of_scope: cases
      .filter((c) => c.out_of_scope)
      .map((c) => ({ id: c.id, claim: c.claim, reference: c.reference, reason: c.out_of_scope! })),
  };
}
