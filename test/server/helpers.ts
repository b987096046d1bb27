import type { FastifyInstance } from "fastify";
import { buildServer } from "../../src/server/app.ts";
import type { JobView } from "../../src/server/jobs.ts";

/** A server with no web app and an in-memory QC database, for `inject` tests. */
export async function testServer(): Promise<FastifyInstance> {
  const app = await buildServer({ webDist: null, databaseUrl: "sqlite::memory:" });
  await app.ready();
  return app;
}

export async function json<T = Record<string, unknown>>(
  app: FastifyInstance,
  method: "GET" | "POST" | "DELETE",
  url: string,
  payload?: unknown,
): Promise<{ status: number; body: T }> {
  const r = await app.inject({ method, url, payload: payload as object | undefined });
  return { status: r.statusCode, body: (r.body ? JSON.parse(r.body) : undefined) as T };
}

/** Polls a job through the API until it is no longer queued or running. */
export async function waitJob(app: FastifyInstance, id: string, timeoutMs = 60_000): Promise<JobView> {
  const t0 = Date.now();
  for (;;) {
    const { body } = await json<JobView>(app, "GET", `/api/jobs/${id}`);
    if (body.status !== "queued" && body.status !== "running") return body;
    if (Date.now() - t0 > timeoutMs) throw new Error(`job ${id} still ${body.status}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
