import { ref, watch, type Ref } from 'vue';
import { errorText } from '../api/index.ts';

export interface Page<T> {
  items: T[];
  total: number;
}

/**
 * State of a paged table: the rows of the current page, the total, loading and error.
 * The caller loads the first page (usually in onMounted); after that a page or size change
 * loads by itself, and `search` goes back to page 1 and loads once.
 */
export function usePagedList<T>(loader: (page: number, pageSize: number) => Promise<Page<T>>, initialPageSize = 20) {
  const page = ref(1);
  const pageSize = ref(initialPageSize);
  const total = ref(0);
  const rows = ref([]) as Ref<T[]>;
  const loading = ref(false);
  const error = ref('');

  async function load() {
    loading.value = true;
    error.value = '';
    try {
      const res = await loader(page.value, pageSize.value);
      rows.value = res.items;
      total.value = res.total;
    } catch (err) {
      error.value = errorText(err);
    } finally {
      loading.value = false;
    }
  }

  // One watcher loads on page or size change, so a size change that also resets the page loads once
  // (a load can be an audited read of personal data, as the users list is).
  watch(pageSize, () => (page.value = 1));
  watch([page, pageSize], () => void load());

  /** Loads page 1 with the current filters: directly if already there, else through the page watcher. */
  function search() {
    if (page.value === 1) void load();
    else page.value = 1;
  }

  return { page, pageSize, total, rows, loading, error, load, search };
}
