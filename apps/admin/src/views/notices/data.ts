import { NOTICE_KINDS, NOTICE_STATUSES, type Notice, type NoticeKind, type NoticeStatus } from '@nuanxin/shared';

export const PAGE_SIZES = [10, 20, 50];
export const KINDS = NOTICE_KINDS;
export const STATUSES = NOTICE_STATUSES;

export const STATUS_TAG: Record<NoticeStatus, 'info' | 'success' | 'warning'> = { draft: 'info', published: 'success', withdrawn: 'warning' };

/** The moves a notice in `status` offers (the server refuses the rest). */
export function movesFor(status: NoticeStatus): Array<'publish' | 'withdraw'> {
  if (status === 'draft') return ['publish'];
  if (status === 'published') return ['withdraw'];
  return [];
}

export interface NoticeForm {
  regionId: string;
  kind: NoticeKind;
  title: string;
  body: string;
  pinned: boolean;
  photoIds: string[];
  attachmentIds: string[];
}

export function emptyNoticeForm(regionId = ''): NoticeForm {
  return { regionId, kind: 'announcement', title: '', body: '', pinned: false, photoIds: [], attachmentIds: [] };
}

export function formFromNotice(n: Notice): NoticeForm {
  return { regionId: n.regionId, kind: n.kind, title: n.title, body: n.body, pinned: n.pinned, photoIds: n.photos.map((p) => p.id), attachmentIds: n.attachments.map((p) => p.id) };
}

/** "12/40 workers (30%)" once there are workers to count. */
export function readShare(n: Notice): number | null {
  return n.readRate === null ? null : Math.round(n.readRate * 1000) / 10;
}
