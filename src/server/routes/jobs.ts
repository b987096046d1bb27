import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { ApiError } from "../errors.ts";
import { isFinal, type JobQueue, JobView } from "../jobs.ts";
import { IdParam } from "../schemas.ts";

/** Polling and streaming of long jobs (validation, cohorts, sensitivity, optimization). */
export function jobRoutes(queue: JobQueue): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      "/api/jobs",
      {
        schema: {
          tags: ["jobs"],
          summary: "Jobs kept by the server (without results)",
          response: { 200: z.array(JobView) },
        },
      },
      async () => queue.list(),
    );

    app.get(
      "/api/jobs/:id",
      {
        schema: {
          tags: ["jobs"],
          summary: "A job's status and progress; its result once done",
          params: IdParam,
          response: { 200: JobView, 404: ApiError },
        },
      },
      async (req) => queue.get(req.params.id),
    );

    app.delete(
      "/api/jobs/:id",
      {
        schema: {
          tags: ["jobs"],
          summary: "Cancel a queued or running job",
          params: IdParam,
          response: { 200: JobView, 404: ApiError },
        },
      },
      async (req) => queue.cancel(req.params.id),
    );

    app.get(
      "/api/jobs/:id/events",
      {
        schema: {
          tags: ["jobs"],
          summary: "Server-sent events: one `progress` event per update, a final `end` event with the job",
          params: IdParam,
          produces: ["text/event-stream"],
        },
      },
      async (req, reply) => {
        const first = queue.get(req.params.id);
        reply.hijack();
        const res = reply.raw;
        res.writeHead(200, {
          "content-type": "text/event-stream",
          "cache-control": "no-cache",
          connection: "keep-alive",
        });
        const send = (event: string, data: unknown) =>
          res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
        const end = () => {
          queue.events.off("update", on);
          send("end", queue.get(first.id));
          res.end();
        };
        const on = (v: JobView) => {
          if (v.id !== first.id) return;
          if (isFinal(v.status)) end();
          else send("progress", v);
        };
        if (isFinal(first.status)) {
          send("end", first);
          res.end();
          return;
        }
        send("progress", { ...first, result: undefined });
        queue.events.on("update", on);
        req.raw.on("close", () => queue.events.off("update", on));
      },
    );
  };
}
