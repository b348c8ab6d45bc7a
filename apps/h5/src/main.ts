import { createApp } from 'vue';
import App from './App.vue';
import { onSessionExpired } from './api/index.ts';
import { applyLang, i18n } from './i18n.ts';
import { router } from './router/index.ts';
import { clearSession } from './stores/session.ts';
import './styles/base.css';

onSessionExpired(() => {
  clearSession();
  const current = router.currentRoute.value;
  if (current.name !== 'login') void router.replace({ name: 'login', query: current.fullPath === '/' ? {} : { redirect: current.fullPath } });
});

// After a deploy an open page may ask for a chunk that is gone: reload once to get the new build,
// but not in a loop (offline, a missing chunk fails the same way every time).
window.addEventListener('vite:preloadError', (event) => {
  const last = Number(sessionStorage.getItem('nx.reloadedAt') ?? 0);
  if (Date.now() - last < 30_000) return;
  event.preventDefault();
  sessionStorage.setItem('nx.reloadedAt', String(Date.now()));
  location.reload();
});

// The router loads a page's code only after the session check (/me) answers: on a slow network
// that is two round trips in a row. Fetch the code of the page being opened now, alongside it.
for (const record of router.resolve(location.pathname).matched) {
  const component = record.components?.default;
  if (typeof component === 'function') void (component as () => Promise<unknown>)().catch(() => {});
}

applyLang();
createApp(App).use(i18n).use(router).mount('#app');

// Production only: in dev a cached shell would hide Vite's hot updates.
if (import.meta.env.PROD && 'serviceWorker' in navigator) {
  window.addEventListener('load', () => {
    navigator.serviceWorker.register(`${import.meta.env.BASE_URL}sw.js`).catch(() => {
      // No offline shell (private mode, http on a LAN address); the app works without it.
    });
  });
}
