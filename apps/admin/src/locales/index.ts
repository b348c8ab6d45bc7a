import { computed } from 'vue';
import { createI18n } from 'vue-i18n';
import { LANGS, type Lang } from '@nuanxin/shared';
import elZhCn from 'element-plus/es/locale/lang/zh-cn';
import elEn from 'element-plus/es/locale/lang/en';
import zhCN, { type MessageSchema } from './zh-CN.ts';
import en from './en.ts';

// Gives editors completion for message keys. vue-i18n's `t` still accepts any string, so a
// misspelt key shows up as the raw key on screen, not as a type error.
declare module 'vue-i18n' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- module augmentation must be an interface
  export interface DefineLocaleMessage extends MessageSchema {}
}

const STORAGE_KEY = 'nx.lang';

function savedLang(): Lang {
  const saved = localStorage.getItem(STORAGE_KEY);
  return (LANGS as readonly string[]).includes(saved ?? '') ? (saved as Lang) : 'zh-CN';
}

export const i18n = createI18n<[MessageSchema], Lang, false>({
  legacy: false,
  locale: savedLang(),
  fallbackLocale: 'zh-CN',
  messages: { 'zh-CN': zhCN, en },
});

document.documentElement.lang = i18n.global.locale.value;

/** The UI language; the API client sends it as Accept-Language so server messages match. */
export function getLang(): Lang {
  return i18n.global.locale.value;
}

export function setLang(lang: Lang): void {
  i18n.global.locale.value = lang;
  localStorage.setItem(STORAGE_KEY, lang);
  document.documentElement.lang = lang;
}

/** Element Plus's own texts (pagination, empty table, cascader) follow the app language. */
export const elementLocale = computed(() => (i18n.global.locale.value === 'en' ? elEn : elZhCn));
