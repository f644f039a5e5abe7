import react from '@vitejs/plugin-react';
import type { PluginOption, ProxyOptions } from 'vite';
import { defineConfig } from 'vitest/config';
import { mockApi } from './tools/mockApi.ts';

// Development helpers, never part of the production bundle:
// - PARLONS_MOCK_API=1 answers /api/v1/* from an in-memory mock (tools/mockApi.ts);
// - PARLONS_SERVER=http://127.0.0.1:PORT proxies /api and /rtc to a running `parlons serve`.
const useMock = process.env.PARLONS_MOCK_API === '1';
const server = process.env.PARLONS_SERVER;

const proxy: Record<string, ProxyOptions> | undefined = server
  ? {
      '/api': { target: server, changeOrigin: false },
      '/rtc': { target: server, changeOrigin: false, ws: true },
    }
  : undefined;

const plugins: PluginOption[] = [react()];
if (useMock) plugins.push(mockApi());

// eslint-disable-next-line no-restricted-syntax -- Vite requires a default export
export default defineConfig({
  base: '/',
  plugins,
  server: { host: '127.0.0.1', proxy },
  preview: { host: '127.0.0.1', proxy },
  build: {
    outDir: 'dist',
    sourcemap: false,
    target: 'es2022',
    chunkSizeWarningLimit: 1024,
  },
  test: {
    environment: 'happy-dom',
    include: ['src/**/*.test.{ts,tsx}'],
    restoreMocks: true,
  },
});
