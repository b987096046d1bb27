import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import fastifyStatic from "@fastify/static";
import fastifySwagger from "@fastify/swagger";
import fastifySwaggerUi from "@fastify/swagger-ui";
import Fastify, { type FastifyInstance } from "fastify";
import {
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from "fastify-type-provider-zod";
import { openStore, type Store } from "../store/db.ts";
import { errorHandler } from "./errors.ts";
import { JobQueue } from "./jobs.ts";
import { LIMITS } from "./limits.ts";
import { analysisRoutes } from "./routes/analysis.ts";
import { deliveryRoutes } from "./routes/delivery.ts";
import { evidenceRoutes } from "./routes/evidence.ts";
import { jobRoutes } from "./routes/jobs.ts";
import { metaRoutes } from "./routes/meta.ts";
import { networkRoutes } from "./routes/network.ts";
import { qcRoutes } from "./routes/qc.ts";
import { simulationRoutes } from "./routes/simulation.ts";
import { validationRoutes } from "./routes/validation.ts";

/**
 * The HTTP API and the web app in one Fastify instance. Every route declares zod schemas for its
 * input and output: they validate the request, serialize the response and make the OpenAPI document
 * (`/api/openapi.json`, browsable at `/api/docs`). Built without listening, so tests use `inject`.
 */

export const WEB_DIST = fileURLToPath(new URL("../../web/dist", import.meta.url));

export interface ServerOptions {
  /** Fastify logger (default off; `exomi serve` turns it on) */
  logger?: boolean;
  /** folder of the built web app (default web/dist); served at / when it exists */
  webDist?: string | null;
  jobs?: JobQueue;
  /** QC database URL (default: EXOMI_DATABASE_URL, else SQLite in the user data dir); opened on first use */
  databaseUrl?: string;
}

export async function buildServer(opts: ServerOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: opts.logger ?? false,
    bodyLimit: LIMITS.bodyLimit,
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(errorHandler);
  const jobs = opts.jobs ?? new JobQueue();

  await app.register(fastifySwagger, {
    openapi: {
      info: {
        title: "ExoMI API",
        description:
          "HUCMSC-exosome therapy for myocardial infarction: evidence, signalling network, scenario simulation, " +
          "validation against the review's claims, delivery routes, QC. Long computations run as jobs.",
        version: "0.1.0",
      },
      tags: [
        { name: "meta" },
        { name: "evidence" },
        { name: "network" },
        { name: "simulation" },
        { name: "designs" },
        { name: "delivery" },
        { name: "validation" },
        { name: "jobs" },
        { name: "qc" },
      ],
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });
  await app.register(fastifySwaggerUi, { routePrefix: "/api/docs" });

  app.get("/api/openapi.json", { schema: { hide: true } }, async () => app.swagger());

  await app.register(metaRoutes);
  await app.register(evidenceRoutes);
  await app.register(networkRoutes);
  await app.register(simulationRoutes);
  await app.register(validationRoutes(jobs));
  await app.register(analysisRoutes(jobs));
  await app.register(deliveryRoutes);

  // the store opens on the first QC request, so the rest of the API needs no database
  let storePromise: Promise<Store> | undefined;
  const store = () => {
    storePromise ??= openStore(opts.databaseUrl);
    storePromise.catch(() => {
      storePromise = undefined;
    });
    return storePromise;
  };
  await app.register(qcRoutes(store));
  await app.register(jobRoutes(jobs));

  const dist = opts.webDist === undefined ? WEB_DIST : opts.webDist;
  const hasWeb = dist !== null && existsSync(`${dist}/index.html`);
  if (hasWeb) await app.register(fastifyStatic, { root: dist, wildcard: false });

  app.setNotFoundHandler((req, reply) => {
    const path = req.url.split("?")[0];
    if (path.startsWith("/api/") || req.method !== "GET") {
      return reply.code(404).send({ error: `no route ${req.method} ${path}`, field: "url" });
    }
    // the web app routes in the browser (hash routes), so any page path serves index.html
    if (hasWeb) return reply.sendFile("index.html");
    return reply
      .code(404)
      .type("text/html")
      .send(
        "<h1>ExoMI</h1><p>The web app is not built: run <code>npx vite build web</code>. The API is at /api/docs.</p>",
      );
  });

  app.addHook("onClose", async () => {
    jobs.events.removeAllListeners();
    if (storePromise) await (await storePromise.catch(() => undefined))?.close();
  });
  return app;
}
