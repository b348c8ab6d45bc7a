import { ref, type Ref } from 'vue';

export interface Page<T> {
  items: T[];
  total: number;
}

/**
 * State for a Vant `<van-list>` that appends page after page as the person scrolls.
 * Rows are keyed by id: a line added at the top between two loads shifts the pages by one, and
 * the repeated row is dropped instead of shown twice.
 */
export function useLoadMore<T extends { id: string }>(loader: (page: number, pageSize: number) => Promise<Page<T>>, pageSize = 20) {
  const items = ref([]) as Ref<T[]>;
  const total = ref(0);
  const loading = ref(false);
  const error = ref(false);
  const finished = ref(false);
  let next = 1;
  // A reset while a page is on its way must not let that old page land in the new list.
  let generation = 0;

  /** Loads the next page; bound to `@load` of van-list (which sets `loading` itself first). */
  async function load() {
    const mine = generation;
    loading.value = true;
    try {
      const res = await loader(next, pageSize);
      if (mine !== generation) return;
      const seen = new Set(items.value.map((item) => item.id));
      items.value.push(...res.items.filter((item) => !seen.has(item.id)));
      total.value = res.total;
      next += 1;
      finished.value = res.items.length < pageSize || items.value.length >= res.total;
    } catch {
      // van-list shows its error text; a tap on it loads again.
      if (mine === generation) error.value = true;
    } finally {
      if (mine === generation) loading.value = false;
    }
  }

  /** Starts again from page 1 (after a change the person made, or on pull-to-refresh). */
  async function reload() {
    generation += 1;
    next = 1;
    error.value = false;
    finished.value = false;
    items.value = [];
    await load();
  }

  return { items, total, loading, error, finished, load, reload };
}

/** What `<LoadMoreList>` takes of a `useLoadMore` result: the page keeps the rest (reload, total). */
export type LoadMoreState = Pick<ReturnType<typeof useLoadMore>, 'items' | 'loading' | 'error' | 'finished' | 'load'>;
