import react from '@vitejs/plugin-react-swc';
import { defineConfig } from 'vite';

// The console: built into web/dist (served by the service at /); in development `vite` proxies
// the API to a running service (API_TARGET, default http://127.0.0.1:3000).
export default defineConfig({
  root: import.meta.dirname,
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 1500 },
  server: {
    proxy: {
      '/api': { target: process.env.API_TARGET ?? 'http://127.0.0.1:3000', changeOrigin: false },
    },
  },
});
