import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { json, testServer, waitJob } from "./helpers.ts";

let app: FastifyInstance;
beforeAll(async () => {
  app = await testServer();
});
afterAll(async () => {
  await app.close();
});

describe("analysis endpoints", () => {
  it("lists the built-in designs", async () => {
    const r = await json<Array<{ id: string }>>(app, "GET", "/api/designs");
    expect(r.status).toBe(200);
    expect(r.body.map((d) => d.id)).toEqual(expect.arrayContaining(["native", "mif-overexpression"]));
  });

  it("runs a small cohort as a job and returns treated vs untreated intervals", async () => {
    const start = await json<{ id: string }>(app, "POST", "/api/cohort", {
      n: 2,
      seed: 3,
      at_h: 168,
      readouts: ["lvef", "infarct_size"],
      scenario: {
        species: "rat",
        injury: "permanent-ligation",
        therapy: { route: "intravenous" },
        duration_h: 168,
      },
    });
    expect(start.status).toBe(202);
    const done = await waitJob(app, start.body.id, 120_000);
    expect(done.status).toBe("done");
    const result = done.result as {
      summaries: Array<{ readout: string; untreated: { median: number }; treated: { median: number } }>;
    };
    const lvef = result.summaries.find((s) => s.readout === "lvef")!;
    expect(lvef.treated.median).toBeGreaterThan(lvef.untreated.median);
  }, 180_000);

  it("rejects an oversized cohort, an unknown readout and a scenario without therapy with 400", async () => {
    expect((await json(app, "POST", "/api/cohort", { n: 100000 })).status).toBe(400);
    const bad = await json<{ field: string }>(app, "POST", "/api/cohort", { n: 2, readouts: ["lvefff"] });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toMatch(/lvef/);
    const none = await json(app, "POST", "/api/cohort", { n: 2, scenario: { therapy: null } });
    expect(none.status).toBe(400);
  });
});

describe("design optimizer endpoint", () => {
  it("runs a tiny optimization as a job and ranks designs with cost and evidence", async () => {
    const start = await json<{ id: string }>(app, "POST", "/api/optimize", {
      objective: "lvef",
      budget: 4,
      cohort: 1,
      at_h: 168,
      max_cost_per_dose_usd: 1e6,
    });
    expect(start.status).toBe(202);
    const done = await waitJob(app, start.body.id, 180_000);
    expect(done.status).toBe("done");
    const res = done.result as {
      designs: Array<{ outcome: { median: number }; costPerDoseUsd: number; evidence: unknown[] }>;
    };
    expect(res.designs.length).toBeGreaterThan(0);
    for (let i = 1; i < res.designs.length; i++) {
      expect(res.designs[i - 1].outcome.median).toBeGreaterThanOrEqual(res.designs[i].outcome.median - 1e-9);
    }
    expect(res.designs[0].costPerDoseUsd).toBeGreaterThan(0);
    expect(res.designs[0].evidence.length).toBeGreaterThan(0);
  }, 240_000);

  it("rejects an unknown objective and an oversized budget with 400", async () => {
    expect((await json(app, "POST", "/api/optimize", { objective: "happiness" })).status).toBe(400);
    expect((await json(app, "POST", "/api/optimize", { budget: 100000 })).status).toBe(400);
  });
});

describe("calibration endpoint", () => {
  it("runs the calibration report as a job: model vs every target, with pass or miss", async () => {
    const start = await json<{ id: string }>(app, "POST", "/api/calibration");
    expect(start.status).toBe(202);
    const done = await waitJob(app, start.body.id, 180_000);
    expect(done.status).toBe("done");
    const rows = done.result as Array<{ id: string; model: number; accept: [number, number]; pass: boolean }>;
    expect(rows.length).toBeGreaterThan(5);
    for (const r of rows) {
      expect(Number.isFinite(r.model)).toBe(true);
      expect(r.pass).toBe(r.model >= r.accept[0] && r.model <= r.accept[1]);
    }
    // with data/posterior.json (committed), each row also carries the posterior predictive view
    const post = (
      done.result as Array<{ posterior: { median: number; lo: number; hi: number; inside: boolean } | null }>
    ).map((r) => r.posterior);
    expect(post.every((p) => p !== null && p.lo <= p.median && p.median <= p.hi)).toBe(true);
  }, 240_000);
});

describe("sensitivity endpoints", () => {
  it("runs the knockdown screen as a job and ranks nodes by their effect", async () => {
    const start = await json<{ id: string }>(app, "POST", "/api/sensitivity", { time_h: 24 });
    expect(start.status).toBe(202);
    const done = await waitJob(app, start.body.id, 180_000);
    expect(done.status).toBe("done");
    const res = done.result as {
      effects: string[];
      rows: Array<{ node: string; total: number; deltas: number[] }>;
    };
    expect(res.effects).toContain("apoptosis");
    expect(res.rows[0].total).toBeGreaterThanOrEqual(res.rows[res.rows.length - 1].total);
    // knocking down caspase-3 must lower apoptosis
    const casp3 = res.rows.find((r) => r.node === "CASP3")!;
    expect(casp3.deltas[res.effects.indexOf("apoptosis")]).toBeLessThan(0);
  }, 240_000);

  it("runs a Morris screen over chosen parameters as a job", async () => {
    const start = await json<{ id: string }>(app, "POST", "/api/gsa", {
      readout: "infarct_size",
      at_h: 168,
      r: 2,
      only: ["k_apoptosis", "k_ischemia"],
      scenario: {
        species: "rat",
        injury: "permanent-ligation",
        therapy: { route: "intravenous" },
        duration_h: 168,
      },
    });
    expect(start.status).toBe(202);
    const done = await waitJob(app, start.body.id, 180_000);
    expect(done.status).toBe("done");
    const res = done.result as { rows: Array<{ id: string; muStar: number }> };
    expect(res.rows.map((r) => r.id).sort()).toEqual(["k_apoptosis", "k_ischemia"]);
  }, 240_000);

  it("rejects unknown readouts and out-of-range times with 400", async () => {
    expect((await json(app, "POST", "/api/gsa", { readout: "happiness" })).status).toBe(400);
    expect((await json(app, "POST", "/api/sensitivity", { time_h: 99999 })).status).toBe(400);
  });
});
