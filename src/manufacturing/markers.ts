/**
 * EV protein markers by MISEV category (research/qc.md §1): cat. 1 transmembrane/GPI-anchored EV
 * proteins, cat. 2 cytosolic EV proteins, cat. 3 non-EV co-isolates (lipoproteins, albumin),
 * cat. 4 proteins of other intracellular compartments (ER, Golgi, nucleus, mitochondria); plus MSC
 * origin markers (Witwer et al. 2019, research/qc.md §5). Names are canonical; aliases map onto them.
 */
export type MarkerCategory = "transmembrane" | "cytosolic" | "co-isolate" | "intracellular" | "origin";

export interface MarkerInfo {
  name: string;
  category: MarkerCategory;
  aliases: string[];
}

export const MARKERS: readonly MarkerInfo[] = [
  { name: "CD63", category: "transmembrane", aliases: ["LAMP3", "TSPAN30"] },
  { name: "CD81", category: "transmembrane", aliases: ["TAPA1", "TSPAN28"] },
  { name: "CD9", category: "transmembrane", aliases: ["TSPAN29"] },
  { name: "ALIX", category: "cytosolic", aliases: ["PDCD6IP", "AIP1"] },
  { name: "TSG101", category: "cytosolic", aliases: [] },
  { name: "syntenin", category: "cytosolic", aliases: ["SDCBP", "syntenin-1"] },
  { name: "calnexin", category: "intracellular", aliases: ["CANX"] },
  { name: "GM130", category: "intracellular", aliases: ["GOLGA2"] },
  { name: "GRP94", category: "intracellular", aliases: ["HSP90B1"] },
  { name: "ApoA1", category: "co-isolate", aliases: ["APOA1", "APOA-I"] },
  { name: "ApoB", category: "co-isolate", aliases: ["APOB", "APOB100"] },
  { name: "albumin", category: "co-isolate", aliases: ["ALB"] },
  { name: "CD73", category: "origin", aliases: ["NT5E"] },
  { name: "CD90", category: "origin", aliases: ["THY1"] },
  { name: "CD105", category: "origin", aliases: ["ENG"] },
];

const byName = new Map<string, MarkerInfo>();
for (const m of MARKERS) {
  byName.set(m.name.toLowerCase(), m);
  for (const a of m.aliases) byName.set(a.toLowerCase(), m);
}

export const MARKER_NAMES: readonly string[] = MARKERS.map((m) => m.name);

/** Canonical marker for a name or alias (case-insensitive), or undefined. */
export function findMarker(name: string): MarkerInfo | undefined {
  return byName.get(name.trim().toLowerCase());
}

export function markersIn(category: MarkerCategory): string[] {
  return MARKERS.filter((m) => m.category === category).map((m) => m.name);
}
