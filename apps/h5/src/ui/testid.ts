import type { Directive } from 'vue';

/**
 * `v-input-testid="'login-phone'"` on a Vant Field: puts data-testid on the inner <input>
 * (plain attributes on <van-field> land on its outer div), so a browser test can fill() it.
 */
export const vInputTestid: Directive<HTMLElement, string> = {
  mounted(el, binding) {
    (el.querySelector('input, textarea') ?? el).setAttribute('data-testid', binding.value);
  },
};
