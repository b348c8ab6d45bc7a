/// <reference types="vite/client" />

// vue-tsc type-checks .vue files itself; this shim only serves plain tsc and editors without Volar.
declare module '*.vue' {
  import type { DefineComponent } from 'vue';
  const component: DefineComponent<object, object, unknown>;
  export default component;
}
