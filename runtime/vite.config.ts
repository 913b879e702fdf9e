import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

export default defineConfig({
  base: '/app/',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
    // React changes less often than the app: its own file stays cached across releases. antd is left to the
    // bundler, which splits it along the lazy screens, so the first screen loads only the components it uses.
    rollupOptions: { output: { manualChunks: (id: string) => (/node_modules[\\/](react|react-dom|scheduler)[\\/]/.test(id) ? 'react' : undefined) } },
  },
  server: { proxy: { '/api': 'http://127.0.0.1:3000' } },
});
