import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LIMITS } from "../../src/server/limits.ts";
import { json, testServer } from "./helpers.ts";

let app: FastifyInstance;
beforeAll(async () => {
  app = await testServer();
});
afterAll(async () => {
  await app.close();
});

interface Sim {
  times: number[];
  series: Record<string, number[]>;
  readouts: { id: string; unit: string; kind: string }[];
  compute_ms: number;
}
interface Err {
  error: string;
  field?: string;
  allowed?: string[];
}

describe("meta and OpenAPI", () => {
  it("answers health and lists the allowed values of every scenario choice", async () => {
    expect((await json(app, "GET", "/api/health")).body).toEqual({ ok: true });
    const { status, body } = await json<{
      species: string[];
      routes: { id: string }[];
      readouts: { id: string; unit: string }[];
      limits: Record<string, number>;
    }>(app, "GET", "/api/meta");
    expect(status).toBe(200);
    expect(body.species).toEqual(["mouse", "rat", "human"]);
    expect(body.routes.map((r) => r.id)).toContain("intramyocardial");
    expect(body.readouts.find((r) => r.id === "ferroptosis")?.unit).toBe("activity (0–1)");
    expect(body.readouts.find((r) => r.id === "lvef")?.unit).toBe("%");
    expect(body.limits.maxDurationH).toBe(LIMITS.maxDurationH);
  });

  it("publishes an OpenAPI document covering every API route, and its docs page", async () => {
    const { status, body } = await json<{ openapi: string; paths: Record<string, unknown> }>(
      app,
      "GET",
      "/api/openapi.json",
    );
    expect(status).toBe(200);
    expect(body.openapi).toMatch(/^3\./);
    const routes = app.printRoutes({ commonPrefix: false });
    for (const path of [
      "/api/simulate",
      "/api/compare",
      "/api/network/paths",
      "/api/network/nodes/{id}",
      "/api/evidence/studies",
      "/api/evidence/studies/{id}",
      "/api/validation",
      "/api/jobs/{id}",
      "/api/delivery",
      "/api/qc/batches",
      "/api/qc/trends",
    ]) {
      expect(body.paths, path).toHaveProperty([path]);
    }
    expect(routes).toContain("openapi.json");
    const docs = await app.inject({ method: "GET", url: "/api/docs/" });
    expect(docs.statusCode).toBe(200);
    expect(docs.body).toContain("swagger");
  });

  it("returns the scenario JSON Schema with the request bound on duration", async () => {
    const { body } = await json<{ properties: Record<string, { enum?: string[]; maximum?: number }> }>(
      app,
      "GET",
      "/api/schema/scenario",
    );
    expect(body.properties.species.enum).toContain("rat");
    expect(body.properties.duration_h.maximum).toBe(LIMITS.maxDurationH);
  });

  it("answers unknown API paths with a JSON 404", async () => {
    const { status, body } = await json<Err>(app, "GET", "/api/nope");
    expect(status).toBe(404);
    expect(body.error).toContain("/api/nope");
  });
});

describe("POST /api/simulate", () => {
  it("returns every effect readout on the time grid, normalized to 0–1", async () => {
    const { status, body } = await json<Sim>(app, "POST", "/api/simulate", {
      scenario: { therapy: { route: "intravenous" }, duration_h: 72 },
    });
    expect(status).toBe(200);
    expect(body.times[0]).toBe(0);
    expect(body.times.at(-1)).toBe(72);
    for (const r of body.readouts.filter((x) => x.kind === "effect")) {
      expect(body.series[r.id]).toHaveLength(body.times.length);
      expect(Math.min(...body.series[r.id])).toBeGreaterThanOrEqual(0);
      expect(Math.max(...body.series[r.id])).toBeLessThanOrEqual(1);
    }
    expect(body.compute_ms).toBeGreaterThan(0);
  });

  it("miR-23a-3p loading lowers ferroptosis vs native exosomes (engineering reaches the result)", async () => {
    const run = async (engineering: unknown[]) =>
      (
        await json<Sim>(app, "POST", "/api/simulate", {
          scenario: { therapy: { engineering }, duration_h: 72 },
          readouts: ["ferroptosis", "DMT1"],
          times: [0, 24, 72],
        })
      ).body;
    const native = await run([]);
    const loaded = await run([{ kind: "load", molecule: "miR-23a-3p" }]);
    expect(native.times).toEqual([0, 24, 72]);
    expect(Object.keys(loaded.series)).toEqual(["ferroptosis", "DMT1"]);
    expect(loaded.series.ferroptosis[1]).toBeLessThan(native.series.ferroptosis[1]);
  });

  it("rejects an unknown species with the field and the allowed values", async () => {
    const { status, body } = await json<Err>(app, "POST", "/api/simulate", { scenario: { species: "dog" } });
    expect(status).toBe(400);
    expect(body.field).toBe("body.scenario.species");
    expect(body.allowed).toEqual(["mouse", "rat", "human"]);
  });

  it("bounds the simulated span per request", async () => {
    const { status, body } = await json<Err>(app, "POST", "/api/simulate", {
      scenario: { duration_h: LIMITS.maxDurationH + 1 },
    });
    expect(status).toBe(400);
    expect(body.field).toBe("body.scenario.duration_h");
    expect(body.error).toContain(String(LIMITS.maxDurationH));
  });

  it("bounds the number of doses", async () => {
    const dose = { time_h: 0, dose_particles: 1e10, route: "intravenous" };
    const { status, body } = await json<Err>(app, "POST", "/api/simulate", {
      scenario: { therapy: { doses: Array(LIMITS.maxDoses + 1).fill(dose) } },
    });
    expect(status).toBe(400);
    expect(body.field).toBe("body.scenario.therapy.doses");
  });

  it("names the closest cargo when a loaded molecule is unknown", async () => {
    const { status, body } = await json<Err>(app, "POST", "/api/simulate", {
      scenario: { therapy: { engineering: [{ kind: "load", molecule: "miR-23" }] } },
    });
    expect(status).toBe(400);
    expect(body.field).toBe("therapy.engineering[0].molecule");
    expect(body.error).toContain("miR-23a-3p");
    expect(body.allowed).toContain("miR-23a-3p");
  });

  it("rejects unknown readouts, output times beyond the span, unknown fields and broken JSON", async () => {
    const bad = [
      [{ scenario: {}, readouts: ["ferroptosys"] }, "body.readouts.0"],
      [{ scenario: { duration_h: 48 }, times: [0, 100] }, "body.times.1"],
      [{ scenario: {}, extra: 1 }, "body"],
    ] as const;
    for (const [payload, field] of bad) {
      const { status, body } = await json<Err>(app, "POST", "/api/simulate", payload);
      expect(status, JSON.stringify(payload)).toBe(400);
      expect(body.field).toBe(field);
    }
    const broken = await app.inject({
      method: "POST",
      url: "/api/simulate",
      payload: "{not json",
      headers: { "content-type": "application/json" },
    });
    expect(broken.statusCode).toBe(400);
    expect(JSON.parse(broken.body).error).toBeTruthy();
  });

  it("refuses request bodies over the size limit with 413", async () => {
    const r = await app.inject({
      method: "POST",
      url: "/api/simulate",
      payload: JSON.stringify({ scenario: {}, pad: "x".repeat(LIMITS.bodyLimit) }),
      headers: { "content-type": "application/json" },
    });
    expect(r.statusCode).toBe(413);
    expect(JSON.parse(r.body)).toMatchObject({ field: "body" });
  });
});

describe("designs", () => {
  it("compares designs at chosen times and refuses more than four", async () => {
    const design = { scenario: { duration_h: 48 } };
    const { status, body } = await json<{ designs: { label: string; values: Record<string, number[]> }[] }>(
      app,
      "POST",
      "/api/compare",
      { designs: [{ label: "untreated", ...design }], readouts: ["apoptosis", "lvef"], times: [24, 48] },
    );
    expect(status).toBe(200);
    expect(body.designs[0].label).toBe("untreated");
    expect(body.designs[0].values.apoptosis).toHaveLength(2);
    expect(body.designs[0].values.lvef[1]).toBeGreaterThan(0);
    const five = await json<Err>(app, "POST", "/api/compare", {
      designs: Array(5).fill(design),
      times: [24],
    });
    expect(five.status).toBe(400);
    expect(five.body.field).toBe("body.designs");
  });

  it("gives the cargo profile of an engineered design", async () => {
    const { body } = await json<{ cargo: { id: string; level: number }[] }>(
      app,
      "POST",
      "/api/designs/profile",
      {
        therapy: { engineering: [{ kind: "overexpress", gene: "MIF" }] },
      },
    );
    expect(body.cargo.find((c) => c.id === "MIF")?.level).toBeGreaterThanOrEqual(0.6);
    const bad = await json<Err>(app, "POST", "/api/designs/profile", {
      therapy: { engineering: [{ kind: "overexpress", gene: "GATA4" }] },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.allowed).toContain("MIF");
    const opts = await json<{ overexpress: string[]; load: { name: string }[] }>(
      app,
      "GET",
      "/api/designs/options",
    );
    expect(opts.body.overexpress).toContain("AKT");
    expect(opts.body.load.map((l) => l.name)).toContain("miR-23a-3p");
  });
});

describe("delivery", () => {
  it("lists routes and simulates a dosing plan", async () => {
    const routes = await json<{ id: string; review_refs: string[] }[]>(app, "GET", "/api/routes");
    expect(routes.body.find((r) => r.id === "intravenous")?.review_refs.length).toBeGreaterThan(0);
    const { status, body } = await json<{ times: number[]; heart: number[]; liver_spleen_pct_24h: number }>(
      app,
      "POST",
      "/api/delivery",
      {
        species: "mouse",
        doses: [{ time_h: 0, dose_particles: 1e10, route: "intravenous" }],
        duration_h: 48,
      },
    );
    expect(status).toBe(200);
    expect(body.heart).toHaveLength(body.times.length);
    expect(body.liver_spleen_pct_24h).toBeGreaterThan(0);
  });

  it("rejects an unknown route with the list of routes", async () => {
    const { status, body } = await json<Err>(app, "POST", "/api/delivery", {
      doses: [{ time_h: 0, dose_particles: 1e10, route: "oral" }],
    });
    expect(status).toBe(400);
    expect(body.field).toBe("body.doses.0.route");
    expect(body.allowed).toContain("intravenous");
  });
});
