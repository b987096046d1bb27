import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { BatchRecord, particlesPerMl } from "../../manufacturing/batch.ts";
import { coaContent, coaHtml, writeCoaPdf } from "../../manufacturing/coa.ts";
import { checkMisev2023 } from "../../manufacturing/misev.ts";
import { evaluateRelease, loadReleaseSpec } from "../../manufacturing/release-spec.ts";
import { trendReport } from "../../manufacturing/trend.ts";
import { auditTrail, createBatch, getBatch, listBatches } from "../../store/batches.ts";
import type { Store } from "../../store/db.ts";
import { ApiError, HttpError } from "../errors.ts";
import { IdParam } from "../schemas.ts";

/**
 * Batch QC over the store (SQLite by default, EXOMI_DATABASE_URL for another): batch records with
 * their MISEV2023 check and release decision, control-chart trends, the audit trail. Writes need a
 * user and a reason, as on the command line.
 */
export function qcRoutes(store: () => Promise<Store>): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      "/api/qc/batches",
      {
        schema: {
          tags: ["qc"],
          summary: "Batches in production order with their MISEV2023 verdict and release decision",
          response: {
            200: z.array(
              z.object({
                id: z.string(),
                version: z.number(),
                method: z.string(),
                date: z.string().optional(),
                donor: z.string(),
                particles_per_ml: z.number().nullable(),
                misev: z.string(),
                release: z.string(),
              }),
            ),
          },
        },
      },
      async () => {
        const spec = loadReleaseSpec();
        const all = await listBatches(await store());
        return all.map((b) => ({
          id: b.record.id,
          version: b.version,
          method: b.record.isolation.method,
          date: b.record.isolation.date,
          donor: b.record.source.donor,
          particles_per_ml: particlesPerMl(b.record),
          misev: checkMisev2023(b.record).verdict,
          release: evaluateRelease(b.record, spec).decision,
        }));
      },
    );

    app.get(
      "/api/qc/batches/:id",
      {
        schema: {
          tags: ["qc"],
          summary: "A batch record with its MISEV2023 check and release-specification report",
          params: IdParam,
          response: {
            200: z.object({
              version: z.number(),
              created_at: z.string(),
              created_by: z.string(),
              record: z.record(z.string(), z.unknown()),
              misev: z.record(z.string(), z.unknown()),
              release: z.record(z.string(), z.unknown()),
            }),
            404: ApiError,
          },
        },
      },
      async (req) => {
        const b = await getBatch(await store(), req.params.id);
        if (!b) throw new HttpError(404, `no batch "${req.params.id}"`, "params.id");
        return {
          version: b.version,
          created_at: b.createdAt,
          created_by: b.createdBy,
          record: b.record as unknown as Record<string, unknown>,
          misev: checkMisev2023(b.record) as unknown as Record<string, unknown>,
          release: evaluateRelease(b.record, loadReleaseSpec()) as unknown as Record<string, unknown>,
        };
      },
    );

    app.post(
      "/api/qc/batches",
      {
        schema: {
          tags: ["qc"],
          summary: "Create a batch record (audited: who and why)",
          body: z
            .object({
              record: BatchRecord,
              user: z.string().trim().min(1).max(100),
              reason: z.string().trim().min(1).max(500),
            })
            .strict(),
          response: { 201: z.object({ id: z.string(), version: z.number() }), 400: ApiError },
        },
      },
      async (req, reply) => {
        const b = await createBatch(await store(), req.body.record, {
          actor: req.body.user,
          reason: req.body.reason,
        });
        return reply.code(201).send({ id: b.record.id, version: b.version });
      },
    );

    app.get(
      "/api/qc/batches/:id/audit",
      {
        schema: {
          tags: ["qc"],
          summary: "Audit trail of a batch: every version with who, when and why",
          params: IdParam,
          response: { 200: z.array(z.record(z.string(), z.unknown())), 404: ApiError },
        },
      },
      async (req) => {
        const s = await store();
        if (!(await getBatch(s, req.params.id)))
          throw new HttpError(404, `no batch "${req.params.id}"`, "params.id");
        return (await auditTrail(s, req.params.id)) as unknown as Record<string, unknown>[];
      },
    );

    app.get(
      "/api/qc/batches/:id/coa.:format",
      {
        schema: {
          tags: ["qc"],
          summary: "Certificate of analysis of a batch's current record, as HTML or PDF",
          params: z.object({ id: z.string().min(1).max(200), format: z.enum(["html", "pdf"]) }),
          response: { 200: z.any().describe("text/html or application/pdf"), 404: ApiError },
        },
      },
      async (req, reply) => {
        const b = await getBatch(await store(), req.params.id);
        if (!b) throw new HttpError(404, `no batch ${req.params.id}`, "id");
        const content = coaContent(b.record, b, loadReleaseSpec());
        if (req.params.format === "html")
          return reply.type("text/html; charset=utf-8").send(coaHtml(content));
        // pdfkit writes to a stream; a private temp file keeps this simple and is removed at once
        const dir = mkdtempSync(join(tmpdir(), "exomi-coa-"));
        try {
          const file = join(dir, "coa.pdf");
          await writeCoaPdf(content, file);
          return reply
            .type("application/pdf")
            .header("content-disposition", `attachment; filename="${b.record.id}-coa.pdf"`)
            .send(readFileSync(file));
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      },
    );

    app.get(
      "/api/qc/trends",
      {
        schema: {
          tags: ["qc"],
          summary:
            "Control charts (mean ± 3σ) of size mode, concentration, purity and potency across batches",
          response: { 200: z.array(z.record(z.string(), z.unknown())) },
        },
      },
      async () => {
        const all = await listBatches(await store());
        return trendReport(all.map((b) => b.record)) as unknown as Record<string, unknown>[];
      },
    );
  };
}
