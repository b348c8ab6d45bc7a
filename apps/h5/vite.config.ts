import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import vue from '@vitejs/plugin-vue';
import { precompress } from '../../scripts/vite-precompress.ts';
import { defineConfig, type Plugin, type ResolvedConfig } from 'vite';

const API_TARGET = 'http://127.0.0.1:3000';

/**
 * The service worker in public/sw.js is hand-written, but only the build knows the hashed file
 * names. This plugin rewrites the `const BUILD = …;` line of the copied dist/sw.js with the list of
 * files to precache and a version derived from them, so every deploy installs a fresh worker.
 */
function precacheServiceWorker(): Plugin {
  let config: ResolvedConfig;
  const bundled: string[] = [];
  return {
    name: 'nx-precache-sw',
    apply: 'build',
    configResolved(resolved) {
      config = resolved;
    },
    generateBundle(_options, bundle) {
      for (const fileName of Object.keys(bundle)) {
        if (!fileName.endsWith('.map') && fileName !== 'index.html') bundled.push(fileName);
      }
    },
    closeBundle() {
      const outDir = resolve(config.root, config.build.outDir);
      const publicFiles = config.publicDir ? readdirSync(config.publicDir).filter((f) => f !== 'sw.js') : [];
      const base = config.base;
      const assets = [...bundled, ...publicFiles].sort().map((f) => base + f);
      const version = createHash('sha256').update(assets.join('\n')).digest('hex').slice(0, 12);
      const swPath = join(outDir, 'sw.js');
      const source = readFileSync(swPath, 'utf8');
      const marker = /const BUILD = .*;/;
      if (!marker.test(source)) throw new Error('public/sw.js lost its `const BUILD = …;` line');
      writeFileSync(swPath, source.replace(marker, `const BUILD = ${JSON.stringify({ version, shell: base + 'index.html', assets })};`));
    },
  };
}

/**
 * Vant's icon font carries a fallback on a public CDN (at.alicdn.com). The inline WOFF2 before it
 * is all a phone needs; dropping the fallback keeps the CSP's font-src to our own origin and
 * keeps riders' phones from calling a third party.
 */
function dropCdnIconFont(): Plugin {
  return {
    name: 'nx-drop-cdn-icon-font',
    transform(code, id) {
      if (!id.includes('vant') || !id.endsWith('.css') || !code.includes('alicdn.com')) return null;
      return { code: code.replace(/,\s*url\(\/\/at\.alicdn\.com[^)]*\)\s*format\("woff"\)/g, ''), map: null };
    },
  };
}

export default defineConfig({
  base: '/',
  // Options API off: every component here (and Vant, vue-router, vue-i18n in composition mode) uses setup().
  plugins: [vue({ features: { optionsAPI: false } }), precacheServiceWorker(), dropCdnIconFont(), precompress()],
  define: {
    // vue-i18n feature flags: composition API only, no devtools hooks in production.
    __VUE_I18N_FULL_INSTALL__: 'true',
    __VUE_I18N_LEGACY_API__: 'false',
    __INTLIFY_PROD_DEVTOOLS__: 'false',
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Cheap Android phones and in-app browsers lag behind; these are the old "modules" baseline.
    target: ['es2020', 'chrome87', 'safari14', 'firefox78', 'edge88'],
    rolldownOptions: {
      output: {
        // The framework changes far less often than our code: one long-cached chunk for it.
        // Vant stays out of it so each page only loads the components it uses.
        codeSplitting: {
          groups: [
            { name: 'vendor', test: /[\\/]node_modules[\\/](@vue|vue|vue-router|vue-i18n|@intlify|zod)[\\/]/ },
            // What nearly every page uses, in one file: a dozen tiny chunks cost a dozen round trips on 3G.
            {
              name: 'vant-base',
              test: /[\\/]node_modules[\\/](@vant[\\/]use|vant[\\/]es[\\/](utils|composables|style|icon|loading|popup|overlay|toast|badge|button|cell|cell-group|nav-bar|lazyload|config-provider))[\\/]/,
            },
          ],
        },
      },
    },
  },
  server: {
    proxy: {
      '/api': API_TARGET,
      '/healthz': API_TARGET,
      // The server's own offline map tiles (MAP_TILE_URL=local).
      '/tiles': API_TARGET,
    },
  },
});
