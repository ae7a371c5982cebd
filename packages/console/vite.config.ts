import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// Built into dist/ and served by the gateway at `/`; in `vite dev`, GraphQL is proxied to a
// gateway on :4000.
export default defineConfig({
  root: import.meta.dirname,
  base: "/",
  plugins: [react()],
  build: { outDir: "dist", emptyOutDir: true, sourcemap: false, chunkSizeWarningLimit: 700 },
  server: { proxy: { "/graphql": "http://127.0.0.1:4000" } },
  logLevel: "warn",
});
