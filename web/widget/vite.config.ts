import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/**
 * The website widget: one self-contained script (widget.js, an IIFE with socket.io-client inside), built
 * next to the console into the same output directory, which Kefu serves at /widget.js. It never empties
 * that directory: run it after the console build.
 */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  build: {
    outDir: '../dist',
    emptyOutDir: false,
    lib: { entry: fileURLToPath(new URL('./widget.ts', import.meta.url)), formats: ['iife'], name: 'KefuWidget', fileName: () => 'widget.js' },
    minify: true,
  },
});
