import { caseChangeSchema, type CaseChange } from '@nuanxin/shared';
import type { Database } from '../../db/client.ts';
import type { Actor } from '../../common/context.ts';
import { mayRead } from './case-workflow.ts';
import { CASE_CHANNEL } from './cases.repository.ts';

interface Subscriber {
  actor: Actor;
  send: (change: CaseChange) => void;
  end: () => void;
}

/**
 * Fans out case changes to this process's workbench streams. Changes arrive through Postgres
 * LISTEN/NOTIFY (sent in the changing transaction), so every process sees every change whichever
 * process made it; each subscriber gets only what it may read. The listening connection comes back
 * by itself after a loss (a database restart); changes announced while it was away are not replayed,
 * so then every stream is ended: the console reconnects and reloads its lists (`useCaseStream`).
 */
export class CaseLive {
  private readonly subscribers = new Set<Subscriber>();
  private unlisten: (() => Promise<void>) | null = null;

  constructor(private readonly database: Database) {}

  async start(): Promise<void> {
    this.unlisten = await this.database.listen(
      CASE_CHANNEL,
      (payload) => this.publish(payload),
      () => this.endStreams(),
    );
  }

  /** Ends every stream (so the server can close) and stops listening. */
  async stop(): Promise<void> {
    this.endStreams();
    await this.unlisten?.();
  }

  private endStreams(): void {
    for (const s of this.subscribers) s.end();
    this.subscribers.clear();
  }

  subscribe(actor: Actor, send: Subscriber['send'], end: Subscriber['end']): () => void {
    const subscriber = { actor, send, end };
    this.subscribers.add(subscriber);
    return () => void this.subscribers.delete(subscriber);
  }

  private publish(payload: string): void {
    let change: CaseChange;
    try {
      change = caseChangeSchema.parse(JSON.parse(payload));
    } catch {
      return;
    }
    const parties = { regionId: change.regionId, reporterId: '', departmentId: change.departmentId, gridId: null };
    for (const s of this.subscribers) if (mayRead(s.actor, parties) === null) s.send(change);
  }
}
