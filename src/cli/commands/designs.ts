import { writeFileSync } from "node:fs";
import type { Command } from "commander";
import { ROUTE_IDS, type RouteId } from "../../delivery/index.ts";
import { getDesign, listDesigns } from "../../engineering/designs.ts";
import { lineChartSvg } from "../../plot/line-chart.ts";
import "../../scenario/all-readouts.ts";
import { readoutValue } from "../../scenario/readouts.ts";
import { Scenario } from "../../scenario/schema.ts";
import { simulate } from "../../scenario/simulate.ts";
import { InputError } from "../errors.ts";

/** `exomi designs` and `exomi compare-routes`: the built-in engineered designs and route comparison. */

/** Routes that fit an in vivo MI scenario (in vitro and ex vivo perfusion need their own injury). */
const IN_VIVO_ROUTES = ROUTE_IDS.filter((r) => r !== "in-vitro" && r !== "ex-vivo-perfusion");

const EFFECTS: Array<{ id: string; t: number; label: string }> = [
  { id: "apoptosis", t: 24, label: "apoptosis 24h" },
  { id: "angiogenesis", t: 168, label: "angio 7d" },
  { id: "fibrosis", t: 168, label: "fibrosis 7d" },
  { id: "infarct_size", t: 672, label: "IS% 28d" },
  { id: "lvef", t: 672, label: "LVEF% 28d" },
];

export function register(program: Command): void {
  program
    .command("designs")
    .description("list the built-in therapy designs (one per engineered row of Tables 1-2)")
    .option("--json", "print JSON")
    .action((opts) => {
      const ds = listDesigns();
      if (opts.json) {
        console.log(JSON.stringify(ds, null, 2));
        return;
      }
      const w = Math.max(...ds.map((d) => d.id.length));
      const wn = Math.max(...ds.map((d) => d.name.length));
      for (const d of ds) {
        const eng = d.therapy.engineering.map((e) => Object.values(e).join(":")).join(", ") || "native";
        console.log(
          `${d.id.padEnd(w)}  ${d.name.padEnd(wn)}  ${d.therapy.route.padEnd(26)}  ${eng.padEnd(40)}  ${d.reference}`,
        );
      }
    });

  program
    .command("compare-routes")
    .description(
      "simulate one design by every in vivo route: exposure, retention, effects; writes a retention plot",
    )
    .option("--design <id>", "built-in design (see `exomi designs`)", "native")
    .option("--dose <particles>", "particles per dose", "1e10")
    .option("--species <s>", "mouse | rat | human", "rat")
    .option(
      "--plot <file.svg>",
      "where to write the plot of % dose in the heart over time",
      "compare-routes.svg",
    )
    .option("--json", "print JSON")
    .action(async (opts) => {
      const design = getDesign(opts.design);
      const dose = Number(opts.dose);
      if (!Number.isFinite(dose) || dose <= 0 || dose > 1e15) {
        throw new InputError("--dose", opts.dose, [], "a positive number of particles up to 1e15");
      }
      const rows: Array<{
        route: RouteId;
        exposure: number;
        ret24: number;
        ret7d: number;
        effects: number[];
      }> = [];
      const series: Array<{ name: string; x: number[]; y: number[] }> = [];
      const grid = Array.from({ length: 57 }, (_, i) => i * 3);
      for (const route of IN_VIVO_ROUTES) {
        const scenario = Scenario.parse({
          species: opts.species,
          injury: "permanent-ligation",
          therapy: { ...design.therapy, route, dose_particles: dose, time_h: 0 },
        });
        const r = simulate(scenario);
        const d = r.delivery!;
        rows.push({
          route,
          exposure: d.cardiacExposure,
          ret24: d.cardiacRetentionPct(24),
          ret7d: d.cardiacRetentionPct(168),
          effects: EFFECTS.map((e) => readoutValue(r, e.id, e.t)),
        });
        series.push({ name: route, x: grid, y: grid.map((t) => d.cardiacRetentionPct(t)) });
      }
      if (opts.json) {
        console.log(JSON.stringify({ design: design.id, dose, species: opts.species, rows }, null, 2));
      } else {
        console.log(
          `design ${design.id} (${design.name}), ${dose.toExponential(1)} particles, ${opts.species}, permanent ligation`,
        );
        console.log(
          `${"route".padEnd(26)} ${"exposure p·h".padStart(13)} ${"ret 24h %".padStart(10)} ${"ret 7d %".padStart(9)} ${EFFECTS.map((e) => e.label.padStart(14)).join("")}`,
        );
        for (const r of rows) {
          console.log(
            `${r.route.padEnd(26)} ${r.exposure.toExponential(2).padStart(13)} ${r.ret24.toFixed(2).padStart(10)} ${r.ret7d.toFixed(2).padStart(9)} ${r.effects.map((v) => (v >= 1 ? v.toFixed(1) : v.toFixed(3)).padStart(14)).join("")}`,
          );
        }
      }
      const svg = await lineChartSvg(series, {
        title: `Exosomes in the heart after one dose: ${design.name}`,
        xTitle: "time after injury and dose (h)",
        yTitle: "% of dose in the heart (log scale)",
        yScale: "log",
      });
      writeFileSync(opts.plot, svg);
      console.error(`wrote ${opts.plot}`);
    });
}
