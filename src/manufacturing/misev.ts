import { type BatchRecord, particlesPerMl } from "./batch.ts";
import { markersIn } from "./markers.ts";
import { purityRatio } from "./purity.ts";

export type Verdict = "met" | "missing" | "failed";

export interface RequirementResult {
  id: string;
  /** the guideline's requirement, summarized */
  requirement: string;
  verdict: Verdict;
  detail: string;
}

export interface MisevReport {
  guideline: string;
  verdict: Verdict;
  requirements: RequirementResult[];
}

/**
 * MISEV2023 minimal characterization (Welsh et al., 2024), summarized from research/qc.md §1: the
 * MISEV2018 table as reproduced in the literature, with the 2023 update as recalled there (at least
 * one transmembrane and one cytosolic EV protein, assessment of non-vesicular co-isolates and of
 * intracellular contaminants, source quantity, two quantification methods and their ratio, single-EV
 * imaging and a single-particle method). The wording is a summary, not a quotation; verify against
 * the guideline's full text before using the verdict for a submission.
 */
export function checkMisev2023(b: BatchRecord): MisevReport {
  const r: RequirementResult[] = [];
  const add = (id: string, requirement: string, verdict: Verdict, detail: string) =>
    r.push({ id, requirement, verdict, detail });

  const src = b.source;
  const amount = [
    src.cellCount ? `${src.cellCount.toExponential(2)} cells` : "",
    src.conditionedMediumMl ? `${src.conditionedMediumMl} mL conditioned medium` : "",
  ].filter(Boolean);
  add(
    "source-amount",
    "Report the amount of starting material (producing cell number and/or volume of conditioned medium).",
    amount.length > 0 ? "met" : "missing",
    amount.length > 0
      ? amount.join("; ")
      : "neither source.cellCount nor source.conditionedMediumMl recorded",
  );

  const particles = particlesPerMl(b);
  const quantities = [
    particles ? "particle number" : "",
    b.protein ? `protein (${b.protein.method})` : "",
    b.lipid ? `lipid (${b.lipid.method})` : "",
  ].filter(Boolean);
  add(
    "quantification",
    "Quantify the EV preparation by at least two complementary measures (particle number, protein, lipid).",
    quantities.length >= 2 ? "met" : "missing",
    quantities.length > 0 ? `measured: ${quantities.join(", ")}` : "no particle, protein or lipid quantity",
  );

  const ratio = particles && b.protein ? purityRatio(particles, b.protein.ugPerMl) : null;
  const lipidRatio = particles && b.lipid ? particles / b.lipid.value : null;
  add(
    "quantity-ratio",
    "Report the ratio of two quantification figures (e.g. particles per µg protein) as a purity indicator.",
    ratio || lipidRatio ? "met" : "missing",
    ratio
      ? `${ratio.particlesPerUg.toExponential(2)} particles/µg protein (${ratio.class})`
      : lipidRatio
        ? `${lipidRatio.toExponential(2)} particles per ${b.lipid?.unit}`
        : "needs particle number and protein or lipid",
  );

  const markerCheck = (
    id: string,
    requirement: string,
    names: string[],
    expect: "positive" | "negative",
    what: string,
  ) => {
    const tested = names.filter((n) => b.markers[n] && b.markers[n] !== "not-tested");
    const good = tested.filter((n) => b.markers[n] === expect);
    const bad = tested.filter((n) => b.markers[n] !== expect);
    if (tested.length === 0) {
      add(id, requirement, "missing", `none of ${names.join(", ")} tested`);
    } else if (expect === "positive") {
      add(
        id,
        requirement,
        good.length > 0 ? "met" : "failed",
        good.length > 0
          ? `${what} detected: ${good.join(", ")}`
          : `tested but not detected: ${bad.join(", ")}`,
      );
    } else {
      add(
        id,
        requirement,
        bad.length === 0 ? "met" : "failed",
        bad.length === 0 ? `absent: ${good.join(", ")}` : `${what} detected: ${bad.join(", ")}`,
      );
    }
  };
  markerCheck(
    "ev-transmembrane-protein",
    "Show at least one transmembrane or GPI-anchored EV protein (e.g. tetraspanins CD63, CD81, CD9).",
    markersIn("transmembrane"),
    "positive",
    "EV membrane protein",
  );
  markerCheck(
    "ev-cytosolic-protein",
    "Show at least one cytosolic protein recovered in EVs (e.g. ALIX, TSG101, syntenin).",
    markersIn("cytosolic"),
    "positive",
    "EV cytosolic protein",
  );
  markerCheck(
    "non-vesicular-co-isolates",
    "Assess non-vesicular co-isolated material expected from the source (e.g. lipoproteins ApoA1/ApoB, albumin).",
    markersIn("co-isolate"),
    "negative",
    "co-isolate",
  );
  markerCheck(
    "intracellular-contaminants",
    "Assess proteins of other intracellular compartments (e.g. calnexin/ER, GM130/Golgi).",
    markersIn("intracellular"),
    "negative",
    "intracellular contaminant",
  );

  const img = b.singleVesicleImaging;
  add(
    "single-ev-imaging",
    "Image single EVs (e.g. TEM, cryo-EM, AFM, super-resolution) showing vesicle morphology.",
    img ? (img.conforms ? "met" : "failed") : "missing",
    img
      ? `${img.method}: ${img.conforms ? "expected morphology" : "morphology does not conform"}`
      : "no imaging",
  );

  const sd = b.sizeDistribution;
  add(
    "single-particle-analysis",
    "Characterize many single particles by a non-imaging method (e.g. NTA, TRPS, high-resolution flow).",
    sd ? "met" : "missing",
    sd ? `${sd.instrument} size distribution, ${sd.bins.length} bins` : "no size distribution imported",
  );

  const verdict: Verdict = r.some((x) => x.verdict === "failed")
    ? "failed"
    : r.some((x) => x.verdict === "missing")
      ? "missing"
      : "met";
  return { guideline: "MISEV2023 (Welsh et al., 2024), summarized", verdict, requirements: r };
}
