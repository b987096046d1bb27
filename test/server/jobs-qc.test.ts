import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { HttpError } from "../../src/server/errors.ts";
import { JobQueue } from "../../src/server/jobs.ts";
import { LIMITS } from "../../src/server/limits.ts";
import { json, testServer, waitJob } from "./helpers.ts";

let app: FastifyInstance;
beforeAll(async () => {
  app = await testServer();
});
afterAll(async () => {
  await app.close();
});

interface Err {
  error: string;
  field?: string;
}

describe("JobQueue", () => {
  it("runs jobs in order, reports progress and keeps the result", async () => {
    const q = new JobQueue();
    const seen: number[] = [];
    const a = q.submit("t", async (ctx) => {
      for (let i = 1; i <= 3; i++) {
        await ctx.tick();
        ctx.progress(i, 3);
      }
      return "a";
    });
    q.events.on("update", (v) => v.id === a.id && v.status === "running" && seen.push(v.progress.done));
    const b = q.submit("t", async () => "b");
    expect((await q.wait(a.id)).result).toBe("a");
    expect((await q.wait(b.id)).status).toBe("done");
    expect(seen).toEqual([0, 1, 2, 3]);
  });

  it("cancels a running job at its next tick, and refuses work beyond its bound", async () => {
    const q = new JobQueue({ maxPending: 2 });
    const long = q.submit("t", async (ctx) => {
      for (;;) await ctx.tick();
    });
    q.submit("t", async () => 1);
    expect(() => q.submit("t", async () => 2)).toThrow(HttpError);
    await new Promise((r) => setTimeout(r, 10));
    q.cancel(long.id);
    expect((await q.wait(long.id)).status).toBe("cancelled");
  });

  it("records a failed job's error in the API's error shape", async () => {
    const q = new JobQueue();
    const j = q.submit("t", async () => {
      throw new HttpError(409, "conflict", "x");
    });
    expect(await q.wait(j.id)).toMatchObject({ status: "failed", error: { error: "conflict", field: "x" } });
  });
});

describe("validation jobs", () => {
  const cases = [
    {
      id: "mir23a-ferroptosis",
      claim: "miR-23a-3p-loaded exosomes lower ferroptosis vs native exosomes",
      reference: "Song et al., 2021",
      scenario: { therapy: { engineering: [{ kind: "load", molecule: "miR-23a-3p" }] }, duration_h: 48 },
      baseline: { therapy: {}, duration_h: 48 },
      readout: "ferroptosis",
      time_h: 24,
      time_basis: "test case: any time within the span",
      expect: "decrease",
    },
    {
      id: "oos",
      claim: "something the model cannot say",
      reference: "Zhao et al., 2015",
      readout: "x",
      time_h: 1,
      time_basis: "out of scope: not simulated",
      expect: "increase",
      out_of_scope: "not modelled",
    },
  ];

  it("runs posted cases as a job that the client polls, then streams its end", async () => {
    const start = await json<{ id: string; status: string }>(app, "POST", "/api/validation", { cases });
    expect(start.status).toBe(202);
    const done = await waitJob(app, start.body.id);
    expect(done.status).toBe("done");
    const report = done.result as {
      agree: number;
      total: number;
      rows: { id: string; predicted: string; class: string }[];
      out_of_scope: { id: string }[];
    };
    expect(report.total).toBe(1);
    expect(report.rows[0]).toMatchObject({ id: "mir23a-ferroptosis", predicted: "decrease" });
    // miR-23a-3p -| DMT1 -> IRON -> LIPID_PEROX -> ferroptosis and shorter antioxidant paths: mechanistic
    expect(report.rows[0]).toMatchObject({ class: "mechanistic" });
    const withoutBasis = { ...cases[0], time_basis: undefined };
    const rejected = await json<Err>(app, "POST", "/api/validation", { cases: [withoutBasis] });
    expect(rejected.status).toBe(400);
    expect(rejected.body.field).toBe("body.cases.0.time_basis");
    expect(report.out_of_scope.map((c) => c.id)).toEqual(["oos"]);
    const sse = await app.inject({ method: "GET", url: `/api/jobs/${start.body.id}/events` });
    expect(sse.headers["content-type"]).toContain("text/event-stream");
    expect(sse.body).toMatch(/^event: end\ndata: \{.*"status":"done"/);
    const list = await json<{ id: string }[]>(app, "GET", "/api/jobs");
    expect(list.body.map((j) => j.id)).toContain(start.body.id);
  });

  it("has no latest default report before one ran", async () => {
    const { status, body } = await json<Err>(app, "GET", "/api/validation/latest");
    expect(status).toBe(404);
    expect(body.error).toContain("POST /api/validation");
  });

  it("rejects cases beyond the time bound, malformed cases and unknown jobs", async () => {
    const tooLong = { ...cases[0], time_h: LIMITS.maxDurationH + 1 };
    const r = await json<Err>(app, "POST", "/api/validation", { cases: [tooLong] });
    expect(r.status).toBe(400);
    expect(r.body.field).toBe("body.cases.0.time_h");
    const bad = await json<Err>(app, "POST", "/api/validation", { cases: [{ ...cases[0], expect: "up" }] });
    expect(bad.status).toBe(400);
    expect(bad.body.field).toBe("body.cases.0.expect");
    expect((await json<Err>(app, "GET", "/api/jobs/nope")).status).toBe(404);
    expect((await json<Err>(app, "DELETE", "/api/jobs/nope")).status).toBe(404);
  });
});

describe("QC endpoints", () => {
  const record = parse(
    readFileSync(fileURLToPath(new URL("../fixtures/qc/batch-pass.yaml", import.meta.url)), "utf8"),
  );

  it("creates a batch with user and reason, then lists and checks it", async () => {
    expect((await json<unknown[]>(app, "GET", "/api/qc/batches")).body).toEqual([]);
    const created = await json(app, "POST", "/api/qc/batches", {
      record,
      user: "tester",
      reason: "API test",
    });
    expect(created.status).toBe(201);
    const list = await json<{ id: string; misev: string; release: string }[]>(app, "GET", "/api/qc/batches");
    expect(list.body).toHaveLength(1);
    expect(list.body[0].id).toBe("B-PASS-01");
    const one = await json<{ misev: { verdict: string }; release: { decision: string } }>(
      app,
      "GET",
      "/api/qc/batches/B-PASS-01",
    );
    expect(one.body.misev.verdict).toBe(list.body[0].misev);
    expect(one.body.release.decision).toBe(list.body[0].release);
    const audit = await json<{ action: string; actor: string }[]>(
      app,
      "GET",
      "/api/qc/batches/B-PASS-01/audit",
    );
    expect(audit.body[0]).toMatchObject({ action: "create", actor: "tester" });
    expect((await json(app, "GET", "/api/qc/trends")).status).toBe(200);
    const html = await app.inject({ method: "GET", url: "/api/qc/batches/B-PASS-01/coa.html" });
    expect(html.statusCode).toBe(200);
    expect(html.headers["content-type"]).toMatch(/text\/html/);
    expect(html.body).toContain("B-PASS-01");
    const pdf = await app.inject({ method: "GET", url: "/api/qc/batches/B-PASS-01/coa.pdf" });
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers["content-type"]).toBe("application/pdf");
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe("%PDF-");
    expect((await app.inject({ method: "GET", url: "/api/qc/batches/NOPE/coa.pdf" })).statusCode).toBe(404);
    expect((await app.inject({ method: "GET", url: "/api/qc/batches/B-PASS-01/coa.docx" })).statusCode).toBe(
      400,
    );
  });

  it("refuses a write without a reason, a duplicate batch and unknown batches", async () => {
    const noReason = await json<Err>(app, "POST", "/api/qc/batches", { record, user: "tester", reason: "" });
    expect(noReason.status).toBe(400);
    expect(noReason.body.field).toBe("body.reason");
    const dup = await json<Err>(app, "POST", "/api/qc/batches", { record, user: "tester", reason: "again" });
    expect(dup.status).toBe(400);
    expect(dup.body.error).toContain("already exists");
    expect((await json<Err>(app, "GET", "/api/qc/batches/NOPE")).status).toBe(404);
  });
});
