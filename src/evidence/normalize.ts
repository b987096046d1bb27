/**
 * Name normalization for alias lookup: case-, Greek-, spacing- and punctuation-insensitive, so
 * "NF-κB", "NF-kB", "nfkb" and "NFKB" meet, as do "TGF-β" and "TGF-beta", "miR-23a-3p" and
 * "MIR23A_3P", "Song et al. (2021)" and "Song et al., 2021".
 */
const GREEK: Record<string, string> = {
  α: "alpha",
  β: "beta",
  γ: "gamma",
  δ: "delta",
  κ: "k",
  µ: "mu",
  μ: "mu",
};

export function normalizeName(name: string): string {
  return name
    .normalize("NFKC")
    .toLowerCase()
    .replace(/[αβγδκµμ]/g, (g) => GREEK[g])
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "") // Bárcia → barcia
    .replace(/[\s\-_./,;:()[\]+'’"]/g, "");
}
