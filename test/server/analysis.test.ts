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
