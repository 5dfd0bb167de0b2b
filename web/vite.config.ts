import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

/**
 * The web console: built into web/dist, which the Fleetyard server serves at `/` (same origin
 * as the API). `npx vite --config web/vite.config.ts` serves it with hot reload and forwards the
 * API to a server on 127.0.0.1:8080.
 */
export default defineConfig({
  root: import.meta.dirname,
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Hashed names only: the server marks /assets/* immutable.
    assetsDir: 'assets',
    sourcemap: false,
    chunkSizeWarningLimit: 900,
  },
  server: {
    proxy: { '/api': 'http://127.0.0.1:8080', '/openapi.json': 'http://127.0.0.1:8080' },
  },
  test: {
    environment: 'jsdom',
    include: ['src/**/*.test.{ts,tsx}'],
    setupFiles: ['src/test-setup.ts'],
    css: false,
  },
});
