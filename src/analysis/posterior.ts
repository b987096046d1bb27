import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import { z } from "zod";
import { Scenario } from "../scenario/schema.ts";
import { type CalibrationTarget, loadCalibrationTargets } from "./calibrate.ts";
import { type UncertainParameter, uncertainParameters } from "./member.ts";

/**
 * The posterior of the calibrated parameters (data/posterior.json): thinned draws from
 * `exomi calibrate --fit`, with what produced them (date, commit, seed, sampler settings, hashes of the
 * targets and of the data files the model reads) and the sampler's diagnostics. Cohorts draw the
 * calibrated parameters from it (src/analysis/cohort.ts); the report reads its predictive intervals.
 */

export const POSTERIOR_PATH = fileURLToPath(new URL("../../data/posterior.json", import.meta.url));
const DATA_DIR = fileURLToPath(new URL("../../data/", import.meta.url));

/**
 * The calibrated parameters. The first four are the ones the hand calibration tuned (each names its
 * targets in data/tissue.yaml or data/routes.yaml). The others are the most influential uncertain
 * parameters on LVEF by Morris screening (`exomi gsa --readout lvef`, rat IV: k_ef μ* 16.9,
 * intracellular cargo half-life 5.3, cargo K 3.1, k_dilation 2.5 LVEF points over their ranges) that
 * the targets can inform — the echo mappings (k_ef, k_fs, k_dilation) are each pinned by an
 * untreated echo target, cargo K and the cargo half-life by the treatment effects. Species
 * baselines (area at risk, sham EF) are left out: they are per species and are patient factors in
 * cohorts, not global constants.
 */
export const CALIBRATED_PARAMETERS = [
  "tau_salvage",
  "k_mptp",
  "k_angiogenesis",
  "routes.systemic.heart_extraction_relative",
  "capillary_max_ratio",
  "perfusion_ischemia",
  "k_fs",
  "k_dilation",
  "cargo_K",
  "routes.systemic.intracellular_cargo_half_life_h",
] as const;

/** The calibrated parameters with their documented ranges (the priors), from a treated rat scenario. */
export function calibratedParameters(ids: readonly string[] = CALIBRATED_PARAMETERS): UncertainParameter[] {
  const all = uncertainParameters(
    Scenario.parse({ species: "rat", injury: "permanent-ligation", therapy: { source: "hucmsc" } }),
  );
  return ids.map((id) => {
    const p = all.find((x) => x.id === id);
    if (!p) throw new Error(`calibrated parameter ${id} is not an uncertain parameter of the model`);
    return p;
  });
}

/** Inverse of fromUnit: the position of a value in its range (0..1, log scale for log parameters). */
export function toUnit(p: UncertainParameter, v: number): number {
  return p.log ? Math.log(v / p.lo) / Math.log(p.hi / p.lo) : (v - p.lo) / (p.hi - p.lo);
}

const Num = z.number().finite();
export const PosteriorParameter = z
  .object({
    id: z.string().min(1),
    kind: z.enum(["tissue", "delivery", "cargoK", "cargoScale", "network"]),
    key: z.string().min(1),
    nominal: Num,
    lo: Num,
    hi: Num,
    log: z.boolean(),
    prior: z.enum(["uniform", "log-uniform"]),
    source: z.string(),
  })
  .strict();
const Diag = z
  .object({
    rhat: z.number().nullable(),
    tau: z.number().nullable(),
    ess: z.number().nullable(),
    mean: Num,
    sd: Num,
    p5: Num,
    p50: Num,
    p95: Num,
  })
  .strict();
export const Posterior = z
  .object({
    schema: z.literal("exomi-posterior/1"),
    provenance: z
      .object({
        created: z.string().min(10),
        git_commit: z.string(),
        git_dirty: z.boolean(),
        seed: z.number().int().nonnegative(),
        sampler: z
          .object({
            method: z.string(),
            walkers: z.number().int().positive(),
            steps: z.number().int().positive(),
            burn: z.number().int().nonnegative(),
            thin: z.number().int().positive(),
            stretch_a: z.number().positive(),
            init: z.string(),
          })
          .strict(),
        likelihood: z.string(),
        targets_file: z.string(),
        /** targetsFingerprint of the targets file: what the likelihood reads, not the wording */
        targets_sha256: z.string().length(64),
        /** sha256 of every data file the model reads, at fit time (a changed file makes it stale) */
        data_sha256: z.record(z.string(), z.string().length(64)),
        evaluations: z.number().int().nonnegative(),
        wall_seconds: Num,
        workers: z.number().int().nonnegative(),
        note: z.string().optional(),
      })
      .strict(),
    parameters: z.array(PosteriorParameter).min(1),
    /** draws[k][i] = value of parameters[i] in draw k */
    draws: z.array(z.array(Num)).min(1),
    log_likelihood: z.array(z.number()),
    diagnostics: z
      .object({
        acceptance: Num,
        parameters: z.record(z.string(), Diag),
      })
      .strict(),
  })
  .strict()
  .refine((p) => p.draws.every((d) => d.length === p.parameters.length), {
    message: "every draw has one value per parameter",
  })
  .refine((p) => p.log_likelihood.length === p.draws.length, {
    message: "one log-likelihood per draw",
  })
  .refine(
    (p) => p.draws.every((d) => d.every((v, i) => v >= p.parameters[i].lo && v <= p.parameters[i].hi)),
    {
      message: "every draw lies inside its parameter's prior range",
    },
  );
export type Posterior = z.infer<typeof Posterior>;

const cache = new Map<string, Posterior | null>();

/** The posterior at `path`, or null when there is none. Parsed (and validated) once per path. */
export function loadPosterior(path = POSTERIOR_PATH): Posterior | null {
  if (!cache.has(path))
    cache.set(path, existsSync(path) ? Posterior.parse(JSON.parse(readFileSync(path, "utf8"))) : null);
  return cache.get(path)!;
}

export const sha256 = (text: string | Buffer) => createHash("sha256").update(text).digest("hex");

/** The data files the model reads whose change makes a posterior stale. */
export const MODEL_DATA_FILES = [
  "tissue.yaml",
  "injury.yaml",
  "routes.yaml",
  "species.yaml",
  "cargo.yaml",
  "network.yaml",
] as const;

/** Keys whose text documents a value rather than being one: rewording them changes no result. */
const PROSE_KEYS = new Set(["evidence", "against", "note", "description"]);

/** A data file's values without its prose (comments, evidence, notes), as canonical JSON. */
export function modelValues(yamlText: string): string {
  const strip = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(strip)
      : v && typeof v === "object"
        ? Object.fromEntries(
            Object.entries(v as Record<string, unknown>)
              .filter(([k]) => !PROSE_KEYS.has(k))
              .map(([k, x]) => [k, strip(x)]),
          )
        : v;
  return JSON.stringify(strip(parse(yamlText)));
}

/**
 * Fingerprints of the model data files' values (not their wording): correcting an evidence note
 * does not make a posterior stale, changing a number or a rule does.
 */
export function dataHashes(dir = DATA_DIR): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of MODEL_DATA_FILES) {
    const p = `${dir}${f}`;
    if (existsSync(p)) out[f] = sha256(modelValues(readFileSync(p, "utf8")));
  }
  return out;
}

/**
 * Fingerprint of what the likelihood reads from the targets (scenarios, readouts, times, kinds,
 * observation models), not of their wording: editing a description, source or miss reason does not
 * make a posterior stale, changing a mean or an sd does.
 */
export function targetsFingerprint(targets: readonly CalibrationTarget[]): string {
  return sha256(
    JSON.stringify(
      targets.map((t) => [
        t.id,
        t.kind,
        t.scenario,
        t.reference ?? null,
        t.baseline ?? null,
        t.readout,
        t.time_h,
        t.observed ? [t.observed.mean, t.observed.sd] : null,
        t.bound ? [t.bound.min ?? null, t.bound.max ?? null, t.bound.scale] : null,
      ]),
    ),
  );
}

/** Files (targets or model data) that changed since the posterior was fitted. */
export function staleFiles(post: Posterior, targetsPath: string, dir = DATA_DIR): string[] {
  const out: string[] = [];
  if (
    existsSync(targetsPath) &&
    targetsFingerprint(loadCalibrationTargets(targetsPath)) !== post.provenance.targets_sha256
  )
    out.push(post.provenance.targets_file);
  const now = dataHashes(dir);
  for (const [f, h] of Object.entries(post.provenance.data_sha256)) if (now[f] !== h) out.push(f);
  return out;
}

/** The posterior parameters as UncertainParameter records (for withParameters). */
export function posteriorParameters(post: Posterior): UncertainParameter[] {
  return post.parameters.map(({ prior: _prior, ...p }) => p);
}
