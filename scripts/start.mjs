#!/usr/bin/env node
// `npm start`: build the web app when web/dist is missing or older than its sources (web/, src/,
// data/), then serve the app and the API (`exomi serve`, PORT to change the port). Plain Node, no
// shell, so it runs anywhere.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const web = join(root, "web");
const builtIndex = join(web, "dist", "index.html");

/** newest modification time of a file or of any file under a folder */
function newest(path) {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let max = st.mtimeMs;
  for (const name of readdirSync(path)) max = Math.max(max, newest(join(path, name)));
  return max;
}

// the app bundles the simulator (src/) and the data it reads (data/) for its Web Worker, so a change
// there makes the build stale too
const sources = Math.max(
  newest(join(web, "src")),
  newest(join(web, "index.html")),
  newest(join(web, "vite.config.ts")),
  newest(join(root, "src")),
  newest(join(root, "data")),
);
if (!existsSync(builtIndex) || statSync(builtIndex).mtimeMs < sources) {
  console.log("building the web app (vite build web) …");
  const vite = join(root, "node_modules", "vite", "bin", "vite.js");
  const r = spawnSync(process.execPath, [vite, "build", web, "--logLevel", "warn"], { stdio: "inherit", cwd: root });
  if (r.status !== 0) {
    console.error("web build failed; serving the API only");
  }
}

const args = [join(root, "bin", "exomi.mjs"), "serve", ...process.argv.slice(2)];
const child = spawn(process.execPath, args, { stdio: "inherit", cwd: root });
// pass stop signals on, so a process manager stopping `npm start` stops the server too
for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => child.kill(sig));
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 0 : 1)));
