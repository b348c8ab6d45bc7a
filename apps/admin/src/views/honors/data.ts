import type { HonorRound, RoundInput, RoundStatus, StaffStory, StoryInput, StoryStatus } from '@nuanxin/shared';

type T = (key: string, named?: Record<string, unknown>) => string;
type TagType = 'primary' | 'success' | 'warning' | 'info' | 'danger';

export const PAGE_SIZES = [10, 20, 50];

export const ROUND_TAG: Record<RoundStatus, TagType> = { draft: 'info', nominating: 'warning', voting: 'success', closed: 'primary', published: 'success', cancelled: 'info' };
export const STORY_TAG: Record<StoryStatus, TagType> = { draft: 'info', published: 'success', withdrawn: 'warning' };

/** The moves the console offers in each state (publication has its own dialog). */
export const ROUND_ACTIONS: Record<RoundStatus, Array<'open_nomination' | 'open_voting' | 'close' | 'cancel' | 'publish'>> = {
  draft: ['open_nomination', 'cancel'],
  nominating: ['open_voting', 'cancel'],
  voting: ['close', 'cancel'],
  closed: ['publish', 'cancel'],
  published: [],
  cancelled: [],
};
export const STORY_ACTIONS: Record<StoryStatus, Array<'publish' | 'withdraw'>> = { draft: ['publish'], published: ['withdraw'], withdrawn: ['publish'] };

export function periodText(r: Pick<HonorRound, 'periodKind' | 'year' | 'quarter'>, t: T): string {
  return r.periodKind === 'quarter' ? t('honors.period.quarter', { year: r.year, quarter: r.quarter }) : t('honors.period.year', { year: r.year });
}

export interface RoundForm {
  regionId: string;
  title: string;
  description: string;
  periodKind: 'year' | 'quarter';
  year: number;
  quarter: number;
  honorees: number;
  nomination: [Date, Date] | null;
  voting: [Date, Date] | null;
}

/** A new round: this quarter, nomination for a week from now, then a week of voting. */
export function emptyRoundForm(regionId: string, now = new Date()): RoundForm {
  const day = 86_400_000;
  const start = new Date(Math.ceil(now.getTime() / 3_600_000) * 3_600_000);
  return {
    regionId,
    title: '',
    description: '',
    periodKind: 'quarter',
    year: now.getFullYear(),
    quarter: Math.floor(now.getMonth() / 3) + 1,
    honorees: 10,
    nomination: [start, new Date(start.getTime() + 7 * day)],
    voting: [new Date(start.getTime() + 7 * day), new Date(start.getTime() + 14 * day)],
  };
}

export function formFromRound(r: HonorRound): RoundForm {
  return {
    regionId: r.regionId,
    title: r.title,
    description: r.description,
    periodKind: r.periodKind,
    year: r.year,
    quarter: r.quarter ?? 1,
    honorees: r.honorees,
    nomination: [new Date(r.nominationStartsAt), new Date(r.nominationEndsAt)],
    voting: [new Date(r.votingStartsAt), new Date(r.votingEndsAt)],
  };
}

export function inputFromRoundForm(f: RoundForm): RoundInput {
  return {
    regionId: f.regionId,
    title: f.title.trim(),
    description: f.description.trim(),
    periodKind: f.periodKind,
    year: f.year,
    quarter: f.periodKind === 'quarter' ? f.quarter : null,
    honorees: f.honorees,
    nominationStartsAt: f.nomination![0].toISOString(),
    nominationEndsAt: f.nomination![1].toISOString(),
    votingStartsAt: f.voting![0].toISOString(),
    votingEndsAt: f.voting![1].toISOString(),
  };
}

export interface StoryForm {
  regionId: string;
  kind: 'story' | 'moment';
  title: string;
  body: string;
  photoIds: string[];
  workerId: string | null;
  consented: boolean;
}

export const emptyStoryForm = (regionId: string): StoryForm => ({ regionId, kind: 'story', title: '', body: '', photoIds: [], workerId: null, consented: false });

export function formFromStory(s: StaffStory): StoryForm {
  return { regionId: s.regionId, kind: s.kind, title: s.title, body: s.body, photoIds: [...(s.cover ? [s.cover.id] : []), ...s.photos.map((p) => p.id)], workerId: s.workerId, consented: s.consented };
}

/** The first photo is the cover. */
export function inputFromStoryForm(f: StoryForm): StoryInput {
  return {
    regionId: f.regionId,
    kind: f.kind,
    title: f.title.trim(),
    body: f.body.trim(),
    coverId: f.photoIds[0] ?? null,
    photoIds: f.photoIds,
    workerId: f.workerId || null,
    consented: f.workerId ? f.consented : false,
  };
}
