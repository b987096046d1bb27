import type { Command } from "commander";
import {
  type DoseInput,
  INJURY_IDS,
  type InjuryId,
  LIGAND_IDS,
  type LigandId,
  listLigands,
  listRoutes,
  loadRoutes,
  type Param,
  ROUTE_IDS,
  type RouteDef,
  type RouteId,
  SPECIES_IDS,
  type SpeciesId,
  simulateDelivery,
} from "../../delivery/index.ts";
import { InputError } from "../errors.ts";

export function register(program: Command): void {
  program
    .command("routes")
    .description("list exosome delivery routes and carriers with their PK parameters and sources")
    .option("--json", "print routes, ligands, injuries and shared tissue parameters as JSON")
    .action((opts: { json?: boolean }) => {
      if (opts.json) {
        const { routes, ligands, injuries, systemic } = loadRoutes();
        console.log(JSON.stringify({ routes, ligands, injuries, systemic }, null, 2));
        return;
      }
      console.log(routesTable(listRoutes()));
      console.log("\nSurface ligands (--ligand):");
      for (const l of listLigands()) {
        console.log(
          `  ${l.id.padEnd(5)} ${l.label}: infarct uptake ×${l.infarct_uptake_multiplier.value}` +
            `${l.gated_by_ischemia ? " (ischemic myocardium only)" : ""}, remote ×${l.remote_uptake_multiplier.value}` +
            `, depot release ×${l.depot_release_multiplier.value}${l.anchors_in.length ? ` in ${l.anchors_in.join(", ")}` : ""}` +
            ` [${l.review_refs.join("; ")}]`,
        );
      }
      console.log("\nSources of route parameters:");
      for (const r of listRoutes()) {
        for (const [name, p] of routeParams(r))
          console.log(`  ${r.id}.${name} = ${fmtParam(p)}\n      ${p.source}`);
      }
      console.log(
        "\nShared tissue parameters: `exomi routes --json` (key systemic); species: data/species.yaml",
      );
    });

  program
    .command("delivery")
    .description(
      "simulate exosome pharmacokinetics for one route: cardiac exposure, retention, liver/spleen share",
    )
    .requiredOption("--route <route>", `delivery route (${ROUTE_IDS.join(", ")})`)
    .requiredOption("--dose <particles>", "particles per dose, e.g. 1e10")
    .option("--species <species>", `species (${SPECIES_IDS.join(", ")})`, "rat")
    .option("--ligand <ligand>", `surface ligand, repeatable (${LIGAND_IDS.join(", ")})`, collect, [])
    .option("--injury <injury>", `injury model (${INJURY_IDS.join(", ")}); default: the route's`)
    .option("--dose-times <hours>", "comma-separated dose times in h after the injury (repeat dosing)", "0")
    .option("--duration-h <hours>", "simulated time after the injury, h", "168")
    .option("--json", "print the readouts and time courses as JSON")
    .action((opts: DeliveryOptions) => runDelivery(opts));
}

interface DeliveryOptions {
  route: string;
  dose: string;
  species: string;
  ligand: string[];
  injury?: string;
  doseTimes: string;
  durationH: string;
  json?: boolean;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function runDelivery(opts: DeliveryOptions): void {
  const dose = Number(opts.dose);
  const duration = Number(opts.durationH);
  const times = opts.doseTimes.split(",").map((s) => s.trim());
  const doses: DoseInput[] = times.map((t) => ({
    time_h: Number(t),
    dose_particles: dose,
    route: opts.route as RouteId,
  }));
  if (times.some((t) => t === "" || Number.isNaN(Number(t)))) {
    throw new InputError("--dose-times", opts.doseTimes, [], "comma-separated hours, e.g. 0,24,48");
  }
  const result = simulateDelivery({
    species: opts.species as SpeciesId,
    doses,
    ligands: opts.ligand as LigandId[],
    injury: opts.injury as InjuryId | undefined,
    duration_h: duration,
  });
  const first = result.doses[0].time_h;
  const checkpoints = [1, 24, 168].map((dt) => ({
    after_first_dose_h: dt,
    time_h: first + dt,
    pct: first + dt <= result.duration_h ? result.cardiacRetentionPct(first + dt) : null,
  }));
  const readouts = {
    route: opts.route,
    species: result.species,
    injury: result.injury,
    ligands: result.ligands,
    doses: result.doses,
    extrapolated: result.extrapolated,
    cardiac_exposure_particle_h: result.cardiacExposure,
    cardiac_exposure_per_particle_h: result.cardiacExposurePerParticle,
    cardiac_retention_pct: checkpoints,
    liver_spleen_pct_24h: result.liverSpleenPct24h,
    liver_spleen_uptake_pct: result.liverSpleenUptakePct,
    intracellular_cargo_24h: result.intracellularCargo(first + 24),
    cargo_unit: result.cargoUnit,
    warnings: result.warnings,
  };
  if (opts.json) {
    console.log(
      JSON.stringify({ ...readouts, times: result.times, compartments: result.compartments }, null, 2),
    );
    return;
  }
  const pct = (v: number | null) => (v === null ? "n/a (beyond --duration-h)" : `${v.toFixed(2)} %`);
  console.log(
    `route ${opts.route}, ${result.species}${result.extrapolated ? " (extrapolated)" : ""}, injury ${result.injury}`,
  );
  console.log(`ligands: ${result.ligands.length ? result.ligands.join(", ") : "none"}`);
  console.log(
    `doses: ${result.doses.map((d) => `${d.dose_particles.toExponential(2)} at ${d.time_h} h`).join("; ")}`,
  );
  console.log(
    `cardiac exposure (infarct/border zone, 0–${result.duration_h} h): ${result.cardiacExposure.toExponential(3)} particle·h`,
  );
  console.log(`  per particle of dose: ${result.cardiacExposurePerParticle.toFixed(3)} h`);
  for (const c of checkpoints)
    console.log(
      `cardiac retention ${String(c.after_first_dose_h).padStart(3)} h after first dose: ${pct(c.pct)}`,
    );
  console.log(
    `liver + spleen at 24 h: ${result.liverSpleenPct24h.toFixed(1)} % of dose (cumulative uptake ${result.liverSpleenUptakePct.toFixed(1)} %)`,
  );
  console.log(
    `intracellular cargo at 24 h: ${result.intracellularCargo(first + 24).toPrecision(3)} ${result.cargoUnit}`,
  );
  for (const w of result.warnings) console.log(`warning: ${w}`);
}

/** The numeric parameters a route preset carries, by name. */
function routeParams(r: RouteDef): Array<[string, Param]> {
  const out: Array<[string, Param]> = [];
  if (r.placement.leak_to_blood) out.push(["placement.leak_to_blood", r.placement.leak_to_blood]);
  if (r.placement.to_remote) out.push(["placement.to_remote", r.placement.to_remote]);
  if (r.depot) {
    for (const key of [
      "release_half_life_h",
      "release_to_heart_fraction",
      "degradation_half_life_h",
      "window_h",
    ] as const) {
      const p = r.depot[key];
      if (p) out.push([`depot.${key}`, p]);
    }
  }
  if (r.cells_per_well) out.push(["cells_per_well", r.cells_per_well]);
  return out;
}

function fmtParam(p: Param): string {
  return `${p.value} ${p.unit} [${p.min}–${p.max}] (${p.basis})`;
}

function routesTable(routes: RouteDef[]): string {
  const header = [
    "route",
    "mode",
    "leak→blood",
    "depot t½ (h)",
    "depot→heart",
    "depot in heart",
    "ligands",
    "review refs",
  ];
  const rows = routes.map((r) => [
    r.id,
    r.mode,
    r.placement.leak_to_blood
      ? String(r.placement.leak_to_blood.value)
      : r.placement.target === "blood"
        ? "1 (IV)"
        : "0",
    r.depot ? String(r.depot.release_half_life_h.value) : "–",
    r.depot ? String(r.depot.release_to_heart_fraction.value) : "–",
    r.depot ? (r.depot.in_heart ? "yes" : "no") : "–",
    r.default_ligands.join(",") || "–",
    r.review_refs.length > 2
      ? `${r.review_refs.slice(0, 2).join("; ")}; +${r.review_refs.length - 2}`
      : r.review_refs.join("; "),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]))
      .join("  ")
      .trimEnd();
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}
