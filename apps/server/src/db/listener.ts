import pg from 'pg';

/** After a lost connection, try again after this long, doubling up to the most. */
const RELISTEN_FIRST_MS = 250;
const RELISTEN_MOST_MS = 5_000;

/**
 * LISTEN on a connection of its own that comes back by itself: when the connection is lost (the
 * database restarted, the backend was terminated), it connects and listens again, with backoff,
 * and then calls `onResync`, since announcements made meanwhile were missed. Resolves once the
 * first LISTEN is in place; the returned function stops it for good.
 */
export async function listenAgainAndAgain(url: string, channel: string, onMessage: (payload: string) => void, onResync?: () => void): Promise<() => Promise<void>> {
  let current: pg.Client | null = null;
  let stopped = false;
  const lostOnes = new WeakSet<pg.Client>();

  const open = async (): Promise<pg.Client> => {
    const client = new pg.Client({ connectionString: url });
    client.on('error', () => lost(client));
    client.on('end', () => lost(client));
    client.on('notification', (msg) => msg.channel === channel && onMessage(msg.payload ?? ''));
    try {
      await client.connect();
      await client.query(`listen ${pg.escapeIdentifier(channel)}`);
      // Lost between connecting and now: as good as never connected.
      if (lostOnes.has(client)) throw new Error('lost while listening');
      return client;
    } catch (error) {
      await client.end().catch(() => {});
      throw error;
    }
  };

  const lost = (client: pg.Client) => {
    lostOnes.add(client);
    if (stopped || current !== client) return;
    current = null;
    client.end().catch(() => {});
    void again();
  };

  const again = async () => {
    for (let wait = RELISTEN_FIRST_MS; !stopped; wait = Math.min(wait * 2, RELISTEN_MOST_MS)) {
      await new Promise((resolve) => setTimeout(resolve, wait).unref());
      if (stopped) return;
      try {
        const client = await open();
        if (stopped) return void (await client.end().catch(() => {}));
        current = client;
        onResync?.();
        return;
      } catch {
        // Still away: wait longer.
      }
    }
  };

  current = await open();
  return async () => {
    stopped = true;
    const client = current;
    current = null;
    await client?.end().catch(() => {});
  };
}
