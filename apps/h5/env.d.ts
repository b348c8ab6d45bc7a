/// <reference types="vite/client" />

// For tools that read .vue imports without vue-tsc (vue-tsc resolves the real files first).
declare module '*.vue' {
  import type { DefineComponent } from 'vue';
  const component: DefineComponent<object, object, unknown>;
  export default component;
}

// Vant's per-component style entries are plain side-effect modules without types.
declare module 'vant/es/*/style/index';
