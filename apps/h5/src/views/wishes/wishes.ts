import type { WishStatus } from '@nuanxin/shared';
import type { TagType } from 'vant';

// What the wishes pages share: the colour of a status.

/** Orange while it waits for someone, green once it came true, grey when it will not. */
export function statusTag(status: WishStatus): TagType {
  if (status === 'fulfilled' || status === 'confirmed') return 'success';
  if (status === 'rejected' || status === 'cancelled') return 'default';
  if (status === 'submitted') return 'primary';
  return 'warning';
}
