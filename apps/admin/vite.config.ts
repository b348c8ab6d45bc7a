import { defineConfig } from 'vite';
import vue from '@vitejs/plugin-vue';
import { precompress } from '../../scripts/vite-precompress.ts';

// The server serves the built console under /admin/ and the API under /api/v1 on the same origin,
// so the dev server proxies /api to it and no CORS is involved.
export default defineConfig({
  base: '/admin/',
  plugins: [vue(), precompress()],
  define: {
    // vue-i18n feature flags: Composition API only, no devtools hooks in production.
    __VUE_I18N_LEGACY_API__: false,
    __VUE_I18N_FULL_INSTALL__: true,
    __INTLIFY_PROD_DEVTOOLS__: false,
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    rolldownOptions: {
      output: {
        // Stable vendor chunks that every page needs, so they stay cached across app releases.
        // Element Plus is left to automatic splitting: each page loads only the components it uses.
        codeSplitting: {
          groups: [
            { name: 'vendor-vue', test: /node_modules[\\/](@vue|vue|vue-router|vue-i18n|@intlify)[\\/]/ },
            { name: 'vendor-zod', test: /node_modules[\\/]zod[\\/]/ },
          ],
        },
      },
    },
  },
  server: {
    port: 5174,
    // /tiles: the server's own offline map tiles (MAP_TILE_URL=local).
    proxy: { '/api': 'http://127.0.0.1:3000', '/tiles': 'http://127.0.0.1:3000' },
  },
});
