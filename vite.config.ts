import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const repoRoot = fileURLToPath(new URL('.', import.meta.url));
const apiServer = 'http://localhost:3000';

export default defineConfig({
  root: 'src/web',
  plugins: [react()],
  css: {
    // postcss.config.cjs sits at the repository root, above `root`.
    postcss: repoRoot,
  },
  build: {
    outDir: '../../dist/web',
    emptyOutDir: true,
    sourcemap: true,
    chunkSizeWarningLimit: 1500,
  },
  server: {
    proxy: {
      '/api': { target: apiServer, changeOrigin: false },
      '/files': { target: apiServer, changeOrigin: false },
      '/health': { target: apiServer, changeOrigin: false },
    },
  },
});
