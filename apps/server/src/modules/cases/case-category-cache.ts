import type { Database } from '../../db/client.ts';
import * as repo from './cases.repository.ts';

/** Where any process announces a changed catalogue (0025_case_categories_announce.sql). */
export const CASE_CATEGORY_CHANNEL = 'nx_case_category';
/**
 * The copy is read again after this long even without an announcement: a safety net for one that
 * never arrived on a connection that went silent without an error (a lost one says so: `forget`).
 */
const CATALOGUE_TTL_MS = 60_000;

/**
 * The case catalogue of every district, in memory: a report is checked and its clock set without
 * a database read (filing was twice as fast at 1,000,000 cases without that read, `npm run bench:cases`).
 * The catalogue is small (tens of categories a district) and changes seldom; a change anywhere
 * reaches every process through LISTEN/NOTIFY, and this process's own saves forget the copy at once.
 */
export class CaseCategoryCache {
  private byId = new Map<string, repo.CategoryRow>();
  private freshUntil = 0;
  private loading: Promise<void> | null = null;
  /** Announcements heard so far. */
  private changes = 0;
  private unlisten: (() => Promise<void>) | null = null;

  constructor(private readonly database: Database) {}

  async start(): Promise<void> {
    this.unlisten = await this.database.listen(
      CASE_CATEGORY_CHANNEL,
      () => this.forget(),
      () => this.forget(),
    );
  }

  async stop(): Promise<void> {
    await this.unlisten?.();
  }

  /** The category, whatever its district or status; undefined if there is none. */
  async get(id: string): Promise<repo.CategoryRow | undefined> {
    if (Date.now() >= this.freshUntil) await this.reload();
    return this.byId.get(id);
  }

  forget(): void {
    this.changes++;
    this.freshUntil = 0;
  }

  /** One read for all callers that find the copy stale meanwhile; a change heard during it leaves the copy stale. */
  private reload(): Promise<void> {
    this.loading ??= (async () => {
      const changes = this.changes;
      try {
        const rows = await repo.listCategories(this.database.db, undefined, true);
        this.byId = new Map(rows.map((row) => [row.id, row]));
        if (changes === this.changes) this.freshUntil = Date.now() + CATALOGUE_TTL_MS;
      } finally {
        this.loading = null;
      }
    })();
    return this.loading;
  }
}
