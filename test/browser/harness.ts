import { existsSync, mkdirSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { FastifyInstance } from "fastify";
import { type Browser, chromium, type Page } from "playwright-core";
import { build } from "vite";
import { buildServer } from "../../src/server/app.ts";

/**
 * Browser-test harness: builds the web app (when its sources are newer than web/dist), serves it
 * with the API on a free port, and drives Debian's Chromium. A missing Chromium is an error, never
 * a skip: run scripts/ensure-chromium.sh to install it.
 */

export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const WEB = join(ROOT, "web");
export const SCREENSHOTS = join(ROOT, "artifacts", "screenshots");

function newest(path: string): number {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  return Math.max(st.mtimeMs, ...readdirSync(path).map((n) => newest(join(path, n))));
}

export async function buildWebIfStale(): Promise<void> {
  const index = join(WEB, "dist", "index.html");
  const sources = Math.max(
    newest(join(WEB, "src")),
    newest(join(WEB, "index.html")),
    newest(join(WEB, "vite.config.ts")),
  );
  if (existsSync(index) && statSync(index).mtimeMs >= sources) return;
  await build({ configFile: join(WEB, "vite.config.ts"), logLevel: "warn" });
}

export interface Harness {
  app: FastifyInstance;
  browser: Browser;
  baseUrl: string;
  page(): Promise<Page>;
  close(): Promise<void>;
}

export async function startHarness(): Promise<Harness> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium not found at ${CHROMIUM}: run scripts/ensure-chromium.sh (apt-get install -y chromium)`,
    );
  }
  mkdirSync(SCREENSHOTS, { recursive: true });
  await buildWebIfStale();
  const app = await buildServer({ databaseUrl: "sqlite::memory:" });
  const address = await app.listen({ port: 0, host: "127.0.0.1" });
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-quic",
      "--no-first-run",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  const pages: Page[] = [];
  return {
    app,
    browser,
    baseUrl: address,
    async page() {
      const p = await browser.newPage({ viewport: { width: 1400, height: 900 } });
      const errors: string[] = [];
      p.on("pageerror", (e) => errors.push(e.message));
      (p as Page & { jsErrors?: string[] }).jsErrors = errors;
      pages.push(p);
      return p;
    },
    async close() {
      await browser.close();
      await app.close();
    },
  };
}

export function jsErrors(p: Page): string[] {
  return (p as Page & { jsErrors?: string[] }).jsErrors ?? [];
}

export async function screenshot(p: Page, name: string): Promise<void> {
  await p.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}
