import type { NetworkModel, Reaction } from "./model.ts";
import { IDENTIFIER } from "./rules.ts";

/** One thing wrong with a model, located well enough to fix it. */
export interface ModelProblem {
  /** "species AKT", "reaction r3 (PI3K => AKT)", "file" */
  where: string;
  field: string;
  message: string;
}

export class NetworkValidationError extends Error {
  constructor(
    readonly source: string,
    readonly problems: readonly ModelProblem[],
  ) {
    super(`${source}: ${problems.length} problem(s)\n${formatProblems(problems)}`);
    this.name = "NetworkValidationError";
  }
}

export function formatProblems(problems: readonly ModelProblem[]): string {
  return problems.map((p) => `  ${p.where} · ${p.field}: ${p.message}`).join("\n");
}

export function describeReaction(r: Pick<Reaction, "id" | "rule">): string {
  return `reaction ${r.id} (${r.rule})`;
}

export interface ValidateOptions {
  /** curated models need ≥1 evidence entry per reaction; imported Netflux files do not */
  requireEvidence?: boolean;
}

/**
 * Checks a model for what would make the simulation wrong or meaningless: unknown or duplicate
 * species, invalid identifiers, parameters outside the ranges where the normalized Hill function
 * is defined. Returns every problem found (empty = valid).
 */
export function validateModel(model: NetworkModel, opts: ValidateOptions = {}): ModelProblem[] {
  const problems: ModelProblem[] = [];
  const ids = new Set<string>();
  for (const s of model.species) {
    const where = `species ${s.id}`;
    if (!IDENTIFIER.test(s.id)) {
      problems.push({ where, field: "id", message: "must start with a letter, then letters, digits or _" });
    }
    if (ids.has(s.id)) problems.push({ where, field: "id", message: "duplicate species id" });
    ids.add(s.id);
    if (!(s.tau > 0) || !Number.isFinite(s.tau))
      problems.push({ where, field: "tau", message: `${s.tau}: must be > 0` });
    if (!(s.ymax >= 0) || !Number.isFinite(s.ymax))
      problems.push({ where, field: "ymax", message: `${s.ymax}: must be ≥ 0` });
    if (!(s.yinit >= 0) || !Number.isFinite(s.yinit)) {
      problems.push({ where, field: "yinit", message: `${s.yinit}: must be ≥ 0` });
    }
  }
  const reactionIds = new Set<string>();
  for (const r of model.reactions) {
    const where = describeReaction(r);
    if (reactionIds.has(r.id)) problems.push({ where, field: "id", message: "duplicate reaction id" });
    reactionIds.add(r.id);
    for (const x of r.reactants) {
      if (!ids.has(x.species))
        problems.push({ where, field: "rule", message: `unknown species ${x.species}` });
    }
    if (!ids.has(r.product)) problems.push({ where, field: "rule", message: `unknown species ${r.product}` });
    if (!(r.W >= 0 && r.W <= 1)) problems.push({ where, field: "W", message: `${r.W}: must be in [0, 1]` });
    if (!(r.n > 0) || !Number.isFinite(r.n))
      problems.push({ where, field: "n", message: `${r.n}: must be > 0` });
    if (!(r.EC50 > 0 && r.EC50 < 1)) {
      problems.push({ where, field: "EC50", message: `${r.EC50}: must be in (0, 1)` });
    } else if (r.n > 0 && r.reactants.length > 0 && !(r.EC50 ** r.n < 0.5)) {
      // B = (EC50ⁿ−1)/(2·EC50ⁿ−1) and K = (B−1)^(1/n) exist only when EC50ⁿ < 1/2
      problems.push({
        where,
        field: "EC50",
        message: `EC50^n = ${(r.EC50 ** r.n).toPrecision(3)} with n = ${r.n}: the normalized Hill function needs EC50^n < 0.5`,
      });
    }
    if (opts.requireEvidence && (r.evidence === undefined || r.evidence.length === 0)) {
      problems.push({ where, field: "evidence", message: "each reaction needs at least one evidence entry" });
    }
  }
  return problems;
}
