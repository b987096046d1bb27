import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { type Harness, jsErrors, screenshot, startHarness } from "./harness.ts";

/** The web app in Chromium: every page loads, and each one does its main job. */

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
}, 180_000);
afterAll(async () => {
  await h?.close();
});

describe("web app", () => {
  it("Evidence: shows Tables 1–2, filters them, and opens a study's claims with their network path", async () => {
    const p = await h.page();
    await p.goto(`${h.baseUrl}/#/evidence`);
    await p.getByTestId("study-T1-01").waitFor();
    await expect.poll(() => p.locator("tr[data-testid^=study-]").count()).toBe(46);
    await p.getByTestId("evidence-search").fill("ferroptosis");
    await expect.poll(() => p.locator("tr[data-testid^=study-]").count()).toBeLessThan(10);
    expect(await p.getByTestId("study-T1-18").isVisible()).toBe(true);
    await p.getByTestId("filter-species").selectOption("mouse");
    await expect.poll(async () => p.getByTestId("evidence-count").textContent()).toMatch(/^\d+ of 46/);
    await p.getByTestId("filter-species").selectOption("");
    await p.getByTestId("study-T1-18").click();
    const panel = p.getByTestId("study-panel");
    await panel.getByText("network path").first().waitFor();
    expect(await panel.textContent()).toContain("DMT1");
    await screenshot(p, "evidence");
    expect(jsErrors(p)).toEqual([]);
  });

  it("Network: draws the graph, highlights a cargo's paths and opens a node", async () => {
    const p = await h.page();
    await p.goto(`${h.baseUrl}/#/network`);
    await p.locator("[data-testid=network-graph] canvas").first().waitFor();
    await p.getByTestId("cargo-picker").selectOption("miR_23a_3p");
    const paths = p.getByTestId("paths");
    await paths.waitFor();
    expect(await paths.textContent()).toMatch(/ferroptosis ▼ lowered/);
    await p.getByTestId("node-search").fill("NF-kB");
    const panel = p.getByTestId("node-panel");
    // the heading, not any evidence note that mentions inputs
    await panel.getByRole("heading", { name: /^Inputs/ }).waitFor();
    expect(await panel.locator("h2").textContent()).toBe("NF-kB");
    expect(await panel.locator("ul.rx li").count()).toBeGreaterThan(1);
    await screenshot(p, "network");
    expect(jsErrors(p)).toEqual([]);
  });

  it("Designer: simulates a design, re-simulates when the design changes, and compares pinned designs", async () => {
    const p = await h.page();
    await p.goto(`${h.baseUrl}/#/designer`);
    const canvas = p.locator("[data-testid=effects-plot] canvas").first();
    await canvas.waitFor();
    await p.getByTestId("latency").waitFor();
    await expect.poll(() => p.getByTestId("sim-status").textContent()).toContain("up to date");
    const before = await canvas.evaluate((c: HTMLCanvasElement) => c.toDataURL());
    await p.getByTestId("pin").click();

    await p.getByTestId("load").selectOption("miR-23a-3p");
    await expect.poll(() => p.getByTestId("sim-status").textContent()).toContain("up to date");
    await expect.poll(() => canvas.evaluate((c: HTMLCanvasElement) => c.toDataURL())).not.toBe(before);
    // the simulator runs in a Web Worker in the page, not on the server
    expect(await p.getByTestId("latency").textContent()).toMatch(/re-simulated \d+ ms[\s\S]*in a Web Worker/);

    await p.getByTestId("compare-table").waitFor();
    expect(await p.getByTestId("compare-table").locator("tbody tr").count()).toBe(2);
    await p.locator("[data-testid=tissue-plots] canvas").first().waitFor();
    await screenshot(p, "designer");
    expect(jsErrors(p)).toEqual([]);
  });

  it("Validation: runs the claims as a job and shows the filterable agreement table", async () => {
    const p = await h.page();
    await p.goto(`${h.baseUrl}/#/validation`);
    const summary = p.getByTestId("validation-summary");
    await summary.waitFor({ timeout: 90_000 });
    expect(await summary.textContent()).toMatch(/\d+ of \d+ claims agree/);
    const rows = p.locator("[data-testid=validation-table] tbody tr");
    const all = await rows.count();
    expect(all).toBeGreaterThan(10);
    await p.getByTestId("agree-filter").selectOption("agree");
    const agreeing = Number((await summary.textContent())?.match(/^(\d+) of/)?.[1]);
    await expect.poll(() => rows.count()).toBe(agreeing);
    await screenshot(p, "validation");
    expect(jsErrors(p)).toEqual([]);
  }, 120_000);

  it("Cohorts: runs a small virtual cohort and the design optimizer as jobs and shows their tables", async () => {
    const p = await h.page();
    await p.goto(`${h.baseUrl}/#/cohorts`);
    await p
      .getByTestId("cohort-design")
      .locator("option[value=mif-overexpression]")
      .waitFor({ state: "attached" });
    await p.locator("input[type=number]").first().fill("2");
    await p.getByTestId("run-cohort").click();
    const table = p.getByTestId("cohort-table");
    await table.waitFor({ timeout: 120_000 });
    expect(await table.textContent()).toContain("lvef");
    // the design optimizer, with a tiny budget
    await p.locator("input[type=number]").nth(3).fill("2");
    await p.getByTestId("run-optimize").click();
    const ranked = p.getByTestId("optimize-table");
    await ranked.waitFor({ timeout: 150_000 });
    expect(await ranked.locator("tbody tr").count()).toBeGreaterThan(0);
    await screenshot(p, "cohorts");
    expect(jsErrors(p)).toEqual([]);
  }, 300_000);

  it("QC: lists the batches of the database, their control charts and certificates", async () => {
    const p = await h.page();
    await p.goto(`${h.baseUrl}/#/qc`);
    await p.getByTestId("qc-empty").waitFor();
    for (const f of ["batch-pass.yaml", "batch-fail.yaml", "batch-incomplete.yaml"]) {
      const record = parse(readFileSync(new URL(`../fixtures/qc/${f}`, import.meta.url), "utf8"));
      const r = await fetch(`${h.baseUrl}/api/qc/batches`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ record, user: "browser-test", reason: "fixture" }),
      });
      expect(r.status).toBe(201);
    }
    await p.reload();
    await expect.poll(() => p.locator("[data-testid=qc-table] tbody tr").count()).toBe(3);
    await p.locator("[data-testid=qc-table] tbody tr").first().click();
    const link = p.getByTestId("coa-pdf");
    await link.waitFor();
    const pdf = await fetch(new URL((await link.getAttribute("href"))!, h.baseUrl));
    expect(pdf.headers.get("content-type")).toBe("application/pdf");
    await screenshot(p, "qc");
    expect(jsErrors(p)).toEqual([]);
  });
});
