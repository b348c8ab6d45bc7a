import { LANGS, type Lang } from '@nuanxin/shared';
import { Locale } from 'vant';
import enUS from 'vant/es/locale/lang/en-US';
import zhCNVant from 'vant/es/locale/lang/zh-CN';
import { createI18n } from 'vue-i18n';
import en from './locales/en.ts';
import zhCN, { type Messages } from './locales/zh-CN.ts';

const LANG_KEY = 'nx.lang';

function isLang(value: unknown): value is Lang {
  return (LANGS as readonly unknown[]).includes(value);
}

/** zh-CN unless the person chose English before; the browser language is not consulted on purpose. */
function savedLang(): Lang {
  const saved = localStorage.getItem(LANG_KEY);
  return isLang(saved) ? saved : 'zh-CN';
}

export const i18n = createI18n<[Messages], Lang, false>({
  legacy: false,
  locale: savedLang(),
  fallbackLocale: 'zh-CN',
  messages: { 'zh-CN': zhCN, en },
});

/** The language the UI shows and the API is asked to answer in (Accept-Language). */
export function getLang(): Lang {
  return i18n.global.locale.value;
}

/** Switches the UI, Vant's built-in texts and <html lang>, and remembers the choice. */
export function setLang(lang: Lang): void {
  i18n.global.locale.value = lang;
  localStorage.setItem(LANG_KEY, lang);
  applyLang(lang);
}

export function applyLang(lang: Lang = getLang()): void {
  document.documentElement.lang = lang;
  if (lang === 'en') Locale.use('en-US', enUS);
  else Locale.use('zh-CN', zhCNVant);
}
