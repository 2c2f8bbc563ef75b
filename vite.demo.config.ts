// The demo company site: plain pages that load the drop-in script from the API, as a real site would.
import { resolve } from 'node:path';
import { defineConfig } from 'vite';

export default defineConfig({
  root: resolve(import.meta.dirname, 'demo'),
  base: '/demo/',
  logLevel: 'error', // the drop-in <script> is served by the API, not bundled: Vite would warn on every page
  build: {
    outDir: resolve(import.meta.dirname, 'dist/demo'),
    emptyOutDir: true,
    rollupOptions: {
      input: {
        index: resolve(import.meta.dirname, 'demo/index.html'),
        portal: resolve(import.meta.dirname, 'demo/portal.html'),
        score: resolve(import.meta.dirname, 'demo/score.html'),
      },
    },
  },
});
