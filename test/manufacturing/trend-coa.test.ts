import { mkdtempSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { BatchRecord } from "../../src/manufacturing/batch.ts";
import { coaContent, coaHtml, writeCoaPdf } from "../../src/manufacturing/coa.ts";
import { loadReleaseSpec } from "../../src/manufacturing/release-spec.ts";
import { controlChart, TREND_METRICS, trendReport } from "../../src/manufacturing/trend.ts";
import { batchFixture } from "./fixtures.ts";

const base = batchFixture("batch-pass", false);
const withConc = (id: string, c: number, potency = 95) =>
  BatchRecord.parse({
    ...base,
    id,
    concentration: { particlesPerMl: c, method: "NTA" },
    potency: [{ assay: "tube", value: potency, unit: "%" }],
  });

describe("batch-to-batch control charts", () => {
  const concentration = TREND_METRICS.find((m) => m.id === "concentration")!;

  it("flags a batch far outside mean ± 3σ and not the in-control ones", () => {
    const values = [2.0e11, 2.1e11, 1.9e11, 2.05e11, 1.95e11, 2.0e11, 6.0e11, 2.02e11];
    const chart = controlChart(
      concentration,
      values.map((v, i) => withConc(`B${i}`, v)),
    )!;
    const flagged = chart.points.filter((p) => p.flags.includes("beyond-3-sigma")).map((p) => p.batchId);
    expect(flagged).toEqual(["B6"]);
    expect(chart.lcl).toBeLessThan(chart.mean);
  });

  it("flags a sustained shift as a run of 7 on one side of the mean", () => {
    const values = [1.0, 1.05, 0.95, 1.0, 1.02, 0.98, 1.2, 1.22, 1.19, 1.21, 1.2, 1.18, 1.22].map(
      (v) => v * 1e11,
    );
    const chart = controlChart(
      concentration,
      values.map((v, i) => withConc(`S${i}`, v)),
    )!;
    expect(chart.points.at(-1)?.flags).toContain("run-of-7");
    expect(chart.points[0].flags).toEqual([]);
  });

  it("needs three batches with a value", () => {
    expect(controlChart(concentration, [withConc("A", 1e11), withConc("B", 2e11)])).toBeNull();
    const charts = trendReport([withConc("A", 1e11), withConc("B", 2e11), withConc("C", 1.5e11)]);
    expect(charts.map((c) => c.metric)).toEqual(["concentration", "purity", "potency"]);
  });
});

describe("certificate of analysis", () => {
  const spec = loadReleaseSpec();
  const content = coaContent(
    batchFixture("batch-pass"),
    { version: 2, recordSha256: "a".repeat(64) },
    spec,
    "2024-06-01",
  );

  it("HTML shows the disposition, every criterion and an inline SVG histogram", () => {
    const html = coaHtml(content);
    expect(html).toContain("Disposition: RELEASE");
    expect(html).toContain("<svg");
    expect((html.match(/<rect /g) ?? []).length).toBeGreaterThan(10);
    for (const c of spec.criteria) expect(html).toContain((c.description ?? c.id).replace("&", "&amp;"));
  });

  it("histogram bars sum to the share of particles below 500 nm", () => {
    const total = content.histogram!.reduce((s, b) => s + b.fraction, 0);
    expect(total).toBeGreaterThan(0.99);
    expect(total).toBeLessThanOrEqual(1 + 1e-9);
  });

  it("writes a PDF", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "exomi-coa-")), "coa.pdf");
    await writeCoaPdf(content, file);
    expect(readFileSync(file).subarray(0, 5).toString()).toBe("%PDF-");
    expect(statSync(file).size).toBeGreaterThan(3000);
  });
});

describe("PDF text", () => {
  it("spells out symbols the PDF standard fonts cannot encode", async () => {
    const { pdfSafe } = await import("../../src/manufacturing/coa.ts");
    expect(pdfSafe("≥ 30 nm and ≤ 200 nm, 3σ")).toBe(">= 30 nm and <= 200 nm, 3sigma");
    expect(pdfSafe("µg – 5 ± 1 °C")).toBe("µg – 5 ± 1 °C");
  });
});
