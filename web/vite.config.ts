import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const root = fileURLToPath(new URL('.', import.meta.url));

/**
 * Vendor groups: each big library gets its own long-cached chunk, so no single file is huge. antd is
 * split in two: what the sign-in page needs up front ($initial), and what the lazily loaded admin pages
 * add (tables, trees, drawers...). Group names become file names.
 */
type Group = { name: string; test: RegExp; priority: number; tags?: '$initial'[]; maxSize?: number };
const ANTD = /node_modules[\\/](antd|@ant-design|@rc-component|rc-[^\\/]+|@babel[\\/]runtime|dayjs|classnames|clsx)[\\/]/;
const VENDOR_GROUPS: Group[] = [
  { name: 'react', test: /node_modules[\\/](react|react-dom|scheduler|react-router|cookie|set-cookie-parser)[\\/]/, priority: 40 },
  { name: 'antd-icons', test: /node_modules[\\/]@ant-design[\\/]icons(-svg)?[\\/]/, priority: 35 },
  { name: 'socket-io', test: /node_modules[\\/](socket\.io-client|engine\.io-client|engine\.io-parser|socket\.io-parser|@socket\.io|xmlhttprequest-ssl|debug|ms)[\\/]/, priority: 30 },
  { name: 'antd-base', test: ANTD, tags: ['$initial'], priority: 25 },
  { name: 'antd-more', test: ANTD, priority: 20 },
  { name: 'vendor', test: /node_modules[\\/]/, priority: 10 },
];

export default defineConfig({
  root,
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 800,
    rolldownOptions: {
      // Two pages: the console (index.html) and the customer portal (portal/index.html, served at /help).
      input: { main: fileURLToPath(new URL('./index.html', import.meta.url)), portal: fileURLToPath(new URL('./portal/index.html', import.meta.url)) },
      output: {
        // Rolldown's form of manualChunks (which it keeps only as a deprecated alias).
        codeSplitting: { groups: VENDOR_GROUPS },
      },
    },
  },
  server: {
    proxy: {
      '/api': 'http://localhost:3100',
      '/socket.io': { target: 'http://localhost:3100', ws: true },
    },
  },
});
