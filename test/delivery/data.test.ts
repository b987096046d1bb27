import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  LIGAND_IDS,
  listLigands,
  listRoutes,
  loadDeliveryData,
  parameterTable,
  ROUTE_IDS,
} from "../../src/delivery/index.ts";

const REVIEW = "/work/shared/seed/000_a1869c225e9a7a11.txt";

describe("delivery data files", () => {
  it("define every route id and ligand exactly once", () => {
    expect(
      listRoutes()
        .map((r) => r.id)
        .sort(),
    ).toEqual([...ROUTE_IDS].sort());
    expect(
      listLigands()
        .map((l) => l.id)
        .sort(),
    ).toEqual([...LIGAND_IDS].sort());
  });

  it("give every parameter a source or an assumption with a range", () => {
    const table = parameterTable(loadDeliveryData());
    expect(table.length).toBeGreaterThan(60);
    for (const p of table) {
      expect(p.source.length, p.key).toBeGreaterThan(10);
      expect(p.min, p.key).toBeLessThanOrEqual(p.value);
      expect(p.max, p.key).toBeGreaterThanOrEqual(p.value);
      // an assumption that cohorts vary must say so; fixed structural values (min = max) just explain themselves
      if (p.basis === "assumption" && p.max > p.min) expect(p.source, p.key).toMatch(/assumption/i);
    }
  });

  it("flags the human species as extrapolated", () => {
    const { species } = loadDeliveryData().species;
    expect(species.human.extrapolated).toBe(true);
    expect(species.mouse.extrapolated).toBe(false);
  });

  it.skipIf(!existsSync(REVIEW))("cite only references the review cites", () => {
    const text = readFileSync(REVIEW, "utf8");
    const refs = [
      ...listRoutes().flatMap((r) => r.review_refs),
      ...listLigands().flatMap((l) => l.review_refs),
    ];
    for (const ref of refs) expect(text.includes(ref), ref).toBe(true);
  });
});
