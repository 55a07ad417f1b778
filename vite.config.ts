/**
 * Builds the editor (editor/index.html) into dist/, which the server serves. `/api` is proxied to
 * a local server in dev mode. The bench page (bench/editor/) is a second entry only for benchmarks.
 */
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { resolve } from 'node:path';

const root = resolve(import.meta.dirname, 'editor');

export default defineConfig({
  root,
  base: '/',
  plugins: [react()],
  worker: { format: 'es' },
  build: {
    outDir: resolve(import.meta.dirname, 'dist'),
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 1000,
    rollupOptions: { input: { main: resolve(root, 'index.html') } },
  },
  server: {
    proxy: { '/api': { target: process.env.CASTGRAPH_URL ?? 'http://127.0.0.1:5177', ws: true } },
  },
});
