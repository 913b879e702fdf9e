import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

export default defineConfig({
  base: '/designer/',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
    // Libraries change less often than the app: separate files stay cached across releases.
    rollupOptions: { output: { manualChunks: (id: string) => (/node_modules[\\/](react|react-dom|scheduler)[\\/]/.test(id) ? 'react' : /node_modules[\\/](antd|@ant-design|rc-|@rc-component|dayjs)/.test(id) ? 'antd' : undefined) } },
  },
  server: { proxy: { '/api': 'http://127.0.0.1:3000' } },
});
