import type { Command } from "commander";
import { InputError } from "../errors.ts";

/** `exomi serve`: the HTTP API and the web app on one port. */
export function register(program: Command): void {
  program
    .command("serve")
    .description(
      "serve the web app and the HTTP API (OpenAPI at /api/openapi.json, docs at /api/docs)\n" +
        "port: --port, else PORT, else 8080; QC database: EXOMI_DATABASE_URL (default SQLite in the user data dir)",
    )
    .option("-p, --port <port>", "port to listen on (default: PORT or 8080)")
    .option("--host <host>", "interface to listen on (default: HOST or 127.0.0.1; 0.0.0.0 for all)")
    .option("--quiet", "no request log")
    .action(async (opts: { port?: string; host?: string; quiet?: boolean }) => {
      const raw = opts.port ?? process.env.PORT ?? "8080";
      const port = Number(raw);
      if (!Number.isInteger(port) || port < 0 || port > 65535) {
        throw new InputError(opts.port ? "--port" : "PORT", raw, [], "an integer from 0 to 65535");
      }
      const host = opts.host ?? process.env.HOST ?? "127.0.0.1";
      // loaded here so other commands do not pay for Fastify and the web stack
      const { buildServer, WEB_DIST } = await import("../../server/app.ts");
      const { existsSync } = await import("node:fs");
      const app = await buildServer({ logger: !opts.quiet });
      const address = await app.listen({ port, host });
      const shown = address.replace("127.0.0.1", "localhost");
      console.log(`ExoMI serving on ${shown} (API docs: ${shown}/api/docs)`);
      if (!existsSync(`${WEB_DIST}/index.html`)) {
        console.log("web app not built: run `npx vite build web` (npm start does this) to serve the pages");
      }
      const stop = async () => {
        await app.close();
        process.exit(0);
      };
      process.once("SIGINT", stop);
      process.once("SIGTERM", stop);
      await new Promise(() => {});
    });
}
