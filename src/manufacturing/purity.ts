/**
 * Particle-to-protein purity ratio (Webber & Clayton, J Extracell Vesicles 2013; 2:19861):
 * NTA particles divided by BCA protein. The thresholds are the commonly quoted ones, recorded as
 * "from memory" in research/qc.md §3, so they are kept here in one place to check and edit:
 *   >= 3e10 p/µg high purity; 2e9–2e10 low purity; < 1.5e9 impure.
 * The published classes leave gaps (1.5–2e9, 2–3e10); values there are reported as "intermediate".
 */
export const PURITY_THRESHOLDS = { high: 3e10, lowMin: 2e9, lowMax: 2e10, impureBelow: 1.5e9 } as const;

export type PurityClass = "high" | "intermediate-high" | "low" | "intermediate-low" | "impure";

export function classifyPurity(particlesPerUg: number): PurityClass {
  const t = PURITY_THRESHOLDS;
  if (particlesPerUg >= t.high) return "high";
  if (particlesPerUg > t.lowMax) return "intermediate-high";
  if (particlesPerUg >= t.lowMin) return "low";
  if (particlesPerUg >= t.impureBelow) return "intermediate-low";
  return "impure";
}

export interface PurityResult {
  particlesPerUg: number;
  class: PurityClass;
}

export function purityRatio(particlesPerMl: number, proteinUgPerMl: number): PurityResult | null {
  if (!(particlesPerMl > 0) || !(proteinUgPerMl > 0)) return null;
  const ratio = particlesPerMl / proteinUgPerMl;
  return { particlesPerUg: ratio, class: classifyPurity(ratio) };
}
