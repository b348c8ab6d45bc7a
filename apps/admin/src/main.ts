import { createApp } from 'vue';
import App from './App.vue';
import { i18n } from './locales/index.ts';
import { router } from './router/index.ts';
import './styles/index.css';

createApp(App).use(i18n).use(router).mount('#app');
