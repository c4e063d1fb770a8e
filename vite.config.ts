/**
 * The team's web app (web/app) → dist/web, which the server serves (src/server/web.ts).
 * `npm run build` runs it after tsc; `npm start` only when a source is newer than the build
 * (scripts/build-if-stale.mjs). `npx vite` serves web/app with the API proxied to a running server.
 */
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

export default defineConfig({
  root: fileURLToPath(new URL('web/app/', import.meta.url)),
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('dist/web/', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    // One stylesheet and hashed files only: the CSP allows no inline script or style.
    assetsInlineLimit: 0,
    reportCompressedSize: false,
  },
  server: { proxy: { '/api': 'http://127.0.0.1:8080' } },
});
