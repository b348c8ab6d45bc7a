// Leaflet's package.json points bundlers at its UMD build; its ES module build (same API, the
// types of @types/leaflet) lets the bundler drop what we do not use.
declare module 'leaflet/dist/leaflet-src.esm.js' {
  export * from 'leaflet';
}
