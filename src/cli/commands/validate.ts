import { readFileSync } from "node:fs";
import type { Command } from "commander";
import { pathText } from "../../analysis/case-paths.ts";
import {
  type CaseResult,
  contestedResults,
  DEFAULT_THRESHOLD,
  loadDefaultCases,
  parseCases,
  runValidation,
  runValidationAt,
  type Tally,
  type ValidationReport,
} from "../../analysis/validate.ts";
import { InputError } from "../errors.ts";
import { formatValue } from "../format.ts";
import { progressBar } from "../progress.ts";

/**
 * `exomi validate`: each case at its own time (the study's measurement time), or with `--at` every
 * case at each listed time. Agreement is printed for the mechanistic and the direct cases apart
 * (a direct case's readout is an input or one edge from one, so it holds by construction), and the
 * cases whose input → readout path crosses a contested edge are flagged and listed.
 */

const MAX_H = 24 * 365;

const fmt = formatValue;

/** "168,336,672" → [168, 336, 672]; every entry a time in (0, 1 year] h. */
export function parseAtTimes(text: string): number[] {
  const parts = text.split(",").map((x) => x.trim());
  const times = parts.map(Number);
  const bad = parts.findIndex(
    (p, i) => p === "" || !Number.isFinite(times[i]) || times[i] <= 0 || times[i] > MAX_H,
  );
  if (bad >= 0)
    throw new InputError("--at", text, [], `comma-separated times in (0, ${MAX_H}] h, e.g. 168,336,672`);
  return [...new Set(times)];
}

const frac = (t: Tally) => `${t.agree}/${t.total}`;

function resultJson(r: CaseResult) {
  return {
    id: r.case.id,
    reference: r.case.reference,
    readout: r.case.readout,
    readout_basis: r.case.readout_basis,
    time_h: r.time_h,
    time_basis: r.case.time_basis,
    class: r.path.cls,
    distance: r.path.distance,
    path: pathText(r.path),
    contested: r.path.contested.map((c) => ({ rule: c.rule, against: c.against })),
    baseline: r.baseline,
    scenario: r.scenario,
    relative_change: r.relChange,
    predicted: r.predicted,
    expected: r.case.expect,
    agree: r.agree,
  };
}

function summaryJson(rep: ValidationReport) {
  return {
    agree: rep.agree,
    total: rep.total,
    percent: rep.percent,
    mechanistic: rep.byClass.mechanistic,
    direct: rep.byClass.direct,
  };
}

function printContested(results: readonly CaseResult[], marked: boolean): void {
  const hit = contestedResults(results);
  if (hit.length === 0) return;
  const where = marked ? "* above; " : "";
  console.log(
    `\ncases resting on contested edges (${where}the edge is on a shortest input -> readout path): ${hit.length}`,
  );
  for (const r of hit) {
    for (const c of r.path.contested) {
      const refs = c.against.map((a) => ("ref" in a ? a.ref : a.source)).join("; ");
      console.log(`  ${r.case.id}: ${c.rule} (against: ${refs})`);
    }
  }
}

function printTable(rep: ValidationReport, failedOnly: boolean): void {
  const rows = rep.results.filter((r) => !failedOnly || !r.agree);
  const wid = Math.max(4, ...rows.map((r) => r.case.id.length + 1));
  const wro = Math.max(7, ...rows.map((r) => r.case.readout.length));
  console.log(
    `${"case".padEnd(wid)}  ${"readout".padEnd(wro)}  ${"t (h)".padStart(6)}  ${"class".padEnd(13)}  ${"baseline".padStart(10)}  ${"scenario".padStart(10)}  ${"change".padStart(8)}  ${"predicted".padEnd(9)}  ${"expected".padEnd(9)}  agree`,
  );
  for (const r of rows) {
    const id = `${r.case.id}${r.path.contested.length > 0 ? "*" : ""}`;
    console.log(
      `${id.padEnd(wid)}  ${r.case.readout.padEnd(wro)}  ${String(r.time_h).padStart(6)}  ${`${r.path.cls} ${r.path.distance ?? "-"}`.padEnd(13)}  ${fmt(r.baseline).padStart(10)}  ${fmt(r.scenario).padStart(10)}  ${`${(100 * r.relChange).toFixed(1)}%`.padStart(8)}  ${r.predicted.padEnd(9)}  ${r.case.expect.padEnd(9)}  ${r.agree ? "yes" : "NO"}`,
    );
  }
}

export function registerValidate(program: Command): void {
  program
    .command("validate")
    .description(
      "run validation cases (default: data/claims.yaml, every claim of Tables 1-2) and print the agreement, mechanistic and direct cases apart",
    )
    .option("--cases <file>", "a cases file in the validation format (JSON or YAML)")
    .option("--threshold <fraction>", "relative change that counts as a change", String(DEFAULT_THRESHOLD))
    .option("--at <times>", "read every case at each of these times (h, comma-separated) instead of its own")
    .option("--failed", "list only cases that disagree")
    .option("--json", "print JSON")
    .addHelpText(
      "after",
      "\nclass: direct = the readout is an input the scenario sets (cargo of the therapy, injury inputs,\n" +
        "perturbed nodes, delivery readouts) or one edge from one; mechanistic = two or more edges\n" +
        "(tissue readouts are one edge from the tissue model's network drivers). The number after the\n" +
        "class is that distance. * marks a case whose path crosses a contested edge (network.yaml `against`).",
    )
    .action((opts) => {
      const threshold = Number(opts.threshold);
      if (!Number.isFinite(threshold) || threshold <= 0 || threshold >= 10) {
        throw new InputError("--threshold", opts.threshold, [], "a positive number such as 0.05");
      }
      const at = opts.at !== undefined ? parseAtTimes(String(opts.at)) : undefined;
      const cases = opts.cases ? parseCases(readCasesText(opts.cases), opts.cases) : loadDefaultCases();
      const bar = progressBar("validating");
      const onProgress = (d: number, t: number) => bar.update(d, t);
      if (at) {
        const reps = runValidationAt(cases, at, { threshold, onProgress });
        bar.stop();
        printAtReports(reps, threshold, Boolean(opts.json), Boolean(opts.failed));
        return;
      }
      const rep = runValidation(cases, { threshold, onProgress });
      bar.stop();
      if (opts.json) {
        console.log(
          JSON.stringify(
            {
              threshold,
              ...summaryJson(rep),
              results: rep.results.map(resultJson),
              contested: contestedResults(rep.results).map((r) => r.case.id),
              out_of_scope: rep.outOfScope.map((c) => ({
                id: c.id,
                reference: c.reference,
                reason: c.out_of_scope,
              })),
            },
            null,
            2,
          ),
        );
        return;
      }
      printTable(rep, Boolean(opts.failed));
      printContested(rep.results, true);
      if (rep.outOfScope.length > 0) {
        console.log(`\nout of scope (counted neither way): ${rep.outOfScope.length}`);
        for (const c of rep.outOfScope) console.log(`  ${c.id} (${c.reference}): ${c.out_of_scope}`);
      }
      console.log(`\nthreshold: |scenario - baseline| / max(|baseline|, 0.01) > ${threshold}`);
      console.log(`each case at its own time (time_basis in the cases file)`);
      console.log(`${rep.agree}/${rep.total} cases agree (${rep.percent.toFixed(1)}%)`);
      console.log(`mechanistic: ${frac(rep.byClass.mechanistic)}   direct: ${frac(rep.byClass.direct)}`);
    });
}

function printAtReports(
  reps: ValidationReport[],
  threshold: number,
  json: boolean,
  failedOnly: boolean,
): void {
  if (json) {
    console.log(
      JSON.stringify(
        {
          threshold,
          times: reps.map((rep) => ({
            time_h: rep.at,
            ...summaryJson(rep),
            results: rep.results.map(resultJson),
          })),
          contested: contestedResults(reps[0]?.results ?? []).map((r) => r.case.id),
        },
        null,
        2,
      ),
    );
    return;
  }
  if (failedOnly) {
    for (const rep of reps) {
      console.log(`\nat ${rep.at} h:`);
      printTable(rep, true);
    }
    console.log("");
  }
  console.log(
    `${"time (h)".padStart(8)}  ${"all".padStart(9)}  ${"mechanistic".padStart(11)}  ${"direct".padStart(9)}`,
  );
  for (const rep of reps) {
    console.log(
      `${String(rep.at).padStart(8)}  ${frac(rep).padStart(9)}  ${frac(rep.byClass.mechanistic).padStart(11)}  ${frac(rep.byClass.direct).padStart(9)}`,
    );
  }
  console.log("(agree/in scope; every case read at the row's time instead of its own)");
  // the class and the contested paths do not depend on the time, so any report lists them
  printContested(reps[0]?.results ?? [], failedOnly);
}

function readCasesText(path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch {
    throw new InputError("--cases", path, [], "file not found or unreadable");
  }
}
