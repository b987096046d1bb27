import {
  type CaseResult,
  checkReadouts,
  runValidation,
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
  time_h: number;
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
      time_h: c.time_h,
      expect: c.expect,
      predicted: r.predicted,
      baseline: r.baseline,
      scenario: r.scenario,
      rel_change: r.relChange,
      agree: r.agree,
    };
  });
  const agree = rows.filter((r) => r.agree).length;
  return {
    threshold: used ?? 0.05,
    agree,
    total: rows.length,
    percent: rows.length ? (100 * agree) / rows.length : 0,
    rows,
    out_of_scope: cases
      .filter((c) => c.out_of_scope)
      .map((c) => ({ id: c.id, claim: c.claim, reference: c.reference, reason: c.out_of_scope! })),
  };
}
