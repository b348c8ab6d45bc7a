import { onBeforeUnmount, ref, type Ref } from 'vue';

/** Phone-width breakpoint; partners use the console on their phones. */
export const MOBILE_QUERY = '(max-width: 767px)';

/** True while the viewport is phone-sized; follows rotation and window resizes. */
export function useIsMobile(): Ref<boolean> {
  const query = window.matchMedia(MOBILE_QUERY);
  const isMobile = ref(query.matches);
  const update = (e: MediaQueryListEvent) => (isMobile.value = e.matches);
  query.addEventListener('change', update);
  onBeforeUnmount(() => query.removeEventListener('change', update));
  return isMobile;
}
