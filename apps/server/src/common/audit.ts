import type { Tx } from '../db/client.ts';
import type { Actor, RequestContext } from './context.ts';

export interface AuditEntry {
  action: string;
  entity: string;
  entityId?: string | null;
  /** The region the record belongs to, so the log is scoped like everything else. */
  regionId: string;
  detail?: Record<string, unknown>;
}

/** Writes one audit row in the caller's transaction: the change and its record commit together. */
export async function audit(tx: Tx, actor: Actor | null, ctx: RequestContext, entry: AuditEntry): Promise<void> {
  await tx
    .insertInto('audit_log')
    .values({
      region_id: entry.regionId,
      actor_id: actor?.userId ?? null,
      action: entry.action,
      entity: entry.entity,
      entity_id: entry.entityId ?? null,
      detail: JSON.stringify(entry.detail ?? {}),
      ip: ctx.ip,
      request_id: ctx.requestId,
    })
    .execute();
}
