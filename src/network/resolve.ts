import type { NetworkModel, Species } from "./model.ts";

/**
 * Finding a species the way a biologist would type it: "NF-κB", "nfkb", "NFKB1" (if an alias),
 * "TGF-β1" = "TGFb1" = "tgf_beta1". Case, `-`, `_`, spaces and dots are ignored; Greek letters match
 * their Latin initial or their spelled-out name.
 */

const GREEK: Record<string, [string, string]> = {
  α: ["alpha", "a"],
  β: ["beta", "b"],
  γ: ["gamma", "g"],
  δ: ["delta", "d"],
  ε: ["epsilon", "e"],
  κ: ["kappa", "k"],
  λ: ["lambda", "l"],
  μ: ["mu", "m"],
};
const SPELLED = ["alpha", "beta", "gamma", "delta", "epsilon", "kappa", "lambda"];

/** Every normalized form of a name (spelled-out Greek and Latin-initial variants). */
export function nameKeys(name: string): string[] {
  const base = name
    .normalize("NFC")
    .toLowerCase()
    .replace(/[\s\-_.·]/g, "");
  let spelled = "";
  let initial = "";
  for (const ch of base) {
    const g = GREEK[ch];
    spelled += g ? g[0] : ch;
    initial += g ? g[1] : ch;
  }
  let fromSpelled = spelled;
  for (const word of SPELLED) fromSpelled = fromSpelled.split(word).join(word[0]);
  return [...new Set([spelled, initial, fromSpelled])];
}

/** All names a species answers to: id, display name, aliases. */
export function speciesNames(s: Species): string[] {
  return [s.id, s.name, ...(s.aliases ?? [])];
}

/** The species whose id, name or alias matches `name` (exact id first, then normalized). */
export function resolveSpecies(model: NetworkModel, name: string): Species | undefined {
  const exact = model.species.find((s) => s.id === name);
  if (exact) return exact;
  const wanted = new Set(nameKeys(name));
  // ids and aliases are unique after validation; names may repeat, so they are tried last
  for (const pick of [(s: Species) => [s.id, ...(s.aliases ?? [])], (s: Species) => [s.name]]) {
    const hit = model.species.find((s) => pick(s).some((n) => nameKeys(n).some((k) => wanted.has(k))));
    if (hit) return hit;
  }
  return undefined;
}
