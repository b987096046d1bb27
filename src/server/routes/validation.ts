import { existsSync } from "node:fs";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { CLAIMS_PATH, loadDefaultCases, ValidationCase } from "../../analysis/validate.ts";
import { InputError } from "../../cli/errors.ts";
import { ApiError, HttpError } from "../errors.ts";
import type { JobQueue } from "../jobs.ts";
import { JobView } from "../jobs.ts";
import { LIMITS } from "../limits.ts";
import { runValidationJob, type ValidationSummary } from "../validation-job.ts";

const ValidationRequest = z
  .object({
    threshold: z
      .number()
      .positive()
      .max(1)
      .optional()
      .describe("relative change counted as a change (default 0.05)"),
    cases: z
      .array(ValidationCase)
      .min(1)
      .max(LIMITS.maxCases)
      .optional()
      .describe("cases to check instead of data/claims.yaml"),
  })
  .strict();

/** Validation of the model against the review's claims, run as a job. */
export function validationRoutes(queue: JobQueue): FastifyPluginAsyncZod {
  let latest: { job: string; report: ValidationSummary } | undefined;
  return async (app) => {
    app.post(
      "/api/validation",
      {
        schema: {
          tags: ["validation"],
          summary: "Start a validation job (all claims of data/claims.yaml, or the posted cases)",
          body: ValidationRequest.optional(),
          response: { 202: JobView, 400: ApiError, 429: ApiError, 503: ApiError },
        },
      },
      async (req, reply) => {
        const body = req.body ?? {};
        let cases: ValidationCase[];
        if (body.cases) {
          cases = body.cases;
          cases.forEach((c, i) => {
            const span = Math.max(c.time_h, c.scenario?.duration_h ?? 0, c.baseline?.duration_h ?? 0);
            if (span > LIMITS.maxDurationH) {
              throw new InputError(
                `body.cases.${i}.time_h`,
                span,
                [],
                `at most ${LIMITS.maxDurationH} h per case`,
              );
            }
          });
        } else {
          if (!existsSync(CLAIMS_PATH)) throw new HttpError(503, "data/claims.yaml is not available yet");
          cases = loadDefaultCases();
        }
        const isDefault = !body.cases;
        const job = queue.submit("validation", async (ctx) => {
          const report = await runValidationJob(cases, body.threshold, ctx);
          if (isDefault && body.threshold === undefined) latest = { job: job.id, report };
          return report;
        });
        return reply.code(202).send(job);
      },
    );

    app.get(
      "/api/validation/latest",
      {
        schema: {
          tags: ["validation"],
          summary: "The most recent completed validation of data/claims.yaml (default threshold)",
          response: { 200: z.object({ job: z.string(), report: z.unknown() }), 404: ApiError },
        },
      },
      async () => {
        if (!latest)
          throw new HttpError(404, "no validation has completed yet; POST /api/validation to start one");
        return latest;
      },
    );
  };
}
