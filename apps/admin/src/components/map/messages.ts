import type { Lang } from '@nuanxin/shared';

// The picker's own words, so it works on any page without keys in the console's locale files.
export const MESSAGES: Record<Lang, Record<'label' | 'pin' | 'loading' | 'loadFailed' | 'tilesFailed' | 'locating' | 'accuracy' | 'unavailable' | 'manual' | 'hint' | 'empty' | 'useMine', string>> = {
  'zh-CN': {
    label: '选择位置的地图，可拖动图钉或点击地图',
    pin: '所选位置，可拖动',
    loading: '地图加载中…',
    loadFailed: '地图加载失败，点击重试',
    tilesFailed: '底图加载失败，标记的位置仍然准确',
    locating: '正在获取当前位置…',
    accuracy: '已定位，精度约 {n} 米，可拖动图钉调整',
    unavailable: '未能获取定位，请在地图上点选位置',
    manual: '已在地图上选定位置，可拖动图钉调整',
    hint: '点击地图或拖动图钉选择位置',
    empty: '尚未选择位置：点击地图放置图钉',
    useMine: '使用当前位置',
  },
  en: {
    label: 'Map to choose a place: drag the pin or tap the map',
    pin: 'Chosen place, draggable',
    loading: 'Loading the map…',
    loadFailed: 'The map did not load. Click to retry',
    tilesFailed: 'The map background did not load; the pin is still in the right place',
    locating: 'Finding your location…',
    accuracy: 'Located to within about {n} m. Drag the pin to adjust',
    unavailable: 'No location available. Click the map to choose the place',
    manual: 'Place chosen on the map. Drag the pin to adjust',
    hint: 'Click the map or drag the pin to choose the place',
    empty: 'No place chosen yet: click the map to put the pin down',
    useMine: 'Use my location',
  },
};
