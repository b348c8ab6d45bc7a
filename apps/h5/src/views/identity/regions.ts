import type { Region, RegionLevel } from '@nuanxin/shared';
import type { CascaderOption } from 'vant';

const byId = (a: Region, b: Region) => a.id.localeCompare(b.id);

/**
 * Cascader options district → street → community from the flat region list. Grids are left out,
 * and so is any district or street without a community below it: a leaf is what finishes the
 * Cascader, so only a community can be chosen.
 */
export function communityOptions(regions: readonly Region[]): CascaderOption[] {
  const children = new Map<string, Region[]>();
  for (const region of regions) {
    if (!region.parentId) continue;
    const list = children.get(region.parentId) ?? [];
    list.push(region);
    children.set(region.parentId, list);
  }
  const below = (id: string, level: RegionLevel) => (children.get(id) ?? []).filter((r) => r.level === level).sort(byId);

  const districts: CascaderOption[] = [];
  for (const district of regions.filter((r) => r.level === 'district').sort(byId)) {
    const streets: CascaderOption[] = [];
    for (const street of below(district.id, 'street')) {
      const communities = below(street.id, 'community').map((c) => ({ text: c.name, value: c.id }));
      if (communities.length) streets.push({ text: street.name, value: street.id, children: communities });
    }
    if (streets.length) districts.push({ text: district.name, value: district.id, children: streets });
  }
  return districts;
}

/** "花都区 / 新华街道 / 三东社区" for a chosen community, or null when it is not in the options. */
export function communityPath(options: readonly CascaderOption[], id: string): string | null {
  for (const option of options) {
    if (option.value === id) return option.text ?? null;
    const rest = option.children ? communityPath(option.children, id) : null;
    if (rest) return `${option.text} / ${rest}`;
  }
  return null;
}
