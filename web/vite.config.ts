import { fileURLToPath } from "node:url";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// The web app builds to web/dist, which `exomi serve` serves next to the API. In development
// (`npx vite web`), API calls go to a running `exomi serve` on port 8080.
const root = fileURLToPath(new URL(".", import.meta.url));

export default defineConfig({
  root,
  base: "/",
  plugins: [react()],
  build: { outDir: `${root}dist`, emptyOutDir: true, chunkSizeWarningLimit: 1500 },
  server: { proxy: { "/api": `http://localhost:${process.env.PORT ?? 8080}` } },
});
