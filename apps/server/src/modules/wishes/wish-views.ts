import { maskName, maskPhone, type ClaimedWish, type MyWish, type Photo, type PublicWish, type WishDetail, type WishSummary } from '@nuanxin/shared';
import type { EventRow, WishRow } from './wishes.repository.ts';

type Links = (ids: readonly string[]) => Photo[];
const iso = (d: Date | null) => d?.toISOString() ?? null;

/** Who took the wish on, as the public and the wisher see it: a partner by name, a person masked. */
export function claimedBy(row: WishRow): string | null {
  if (row.claimant_kind === 'partner') return row.partner_name;
  if (row.claimant_kind === 'worker') return maskName(row.claimant_user_name);
  if (row.claimant_kind === 'offline') return maskName(row.donor_name);
  return null;
}

function publicFields(row: WishRow, links: Links) {
  return {
    id: row.id,
    regionId: row.region_id,
    communityName: row.community_name,
    nickname: maskName(row.wisher_name),
    kind: row.kind,
    title: row.title,
    description: row.description,
    valueYuan: row.value_yuan,
    photos: links(row.photo_ids),
    status: row.status,
    claimedBy: claimedBy(row),
    publishedAt: iso(row.published_at),
    fulfilledAt: iso(row.fulfilled_at),
  };
}

function progressFields(row: WishRow, links: Links) {
  return {
    claimExpiresAt: iso(row.claim_expires_at),
    proofNote: row.proof_note,
    proofPhotos: links(row.proof_photo_ids),
    confirmedAt: iso(row.confirmed_at),
    thanks: row.thanks,
    thanksPublic: row.thanks_public,
  };
}

/** What anyone may see: nickname and community, never a phone, a full name or an account id; proof photos stay private. */
export function toPublicWish(row: WishRow, links: Links): PublicWish {
  return { ...publicFields(row, links), thanks: row.thanks_public ? row.thanks : null };
}

export function toMyWish(row: WishRow, events: EventRow[], links: Links): MyWish {
  return { ...toMySummary(row, links), timeline: events.map((e) => toEvent(e, links)) };
}

export function toMySummary(row: WishRow, links: Links): Omit<MyWish, 'timeline'> {
  return {
    ...publicFields(row, links),
    ...progressFields(row, links),
    reviewNote: row.review_note,
    createdAt: row.created_at.toISOString(),
    canCancel: row.status === 'submitted' || row.status === 'published',
    canConfirm: row.status === 'fulfilled',
    canThank: row.status === 'confirmed' && row.thanks === null,
  };
}

export function toClaimedWish(row: WishRow, links: Links): ClaimedWish {
  return { ...publicFields(row, links), ...progressFields(row, links), claimedAt: iso(row.claimed_at) };
}

/** The staff view: the wisher's name and masked phone (personal data: the caller audits the read). */
export function toSummary(row: WishRow, links: Links): WishSummary {
  const claimantName = row.claimant_kind === 'partner' ? row.partner_name : row.claimant_kind === 'worker' ? row.claimant_user_name : row.claimant_kind === 'offline' ? row.donor_name : null;
  return {
    ...publicFields(row, links),
    ...progressFields(row, links),
    wisherName: row.wisher_name,
    wisherPhoneMasked: maskPhone(row.wisher_phone),
    claimantKind: row.claimant_kind,
    claimantName,
    reviewNote: row.review_note,
    claimedAt: iso(row.claimed_at),
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

export function toDetail(row: WishRow, events: EventRow[], links: Links): WishDetail {
  return { ...toSummary(row, links), timeline: events.map((e) => ({ ...toEvent(e, links), actorName: e.actor_name })) };
}

function toEvent(e: EventRow, links: Links) {
  return { at: e.created_at.toISOString(), action: e.action, status: e.to_status, note: e.note, photos: links(e.photo_ids) };
}
