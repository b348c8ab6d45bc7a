import { maskPhone, partnerKindOf, type Benefit, type BenefitType, type Partner, type PartnerStatus, type PartnerSummary, type PublicPartner } from '@nuanxin/shared';
import type { PartnerRow } from './partners.repository.ts';

/** A certified partner past its last valid day reads as expired even before the job has run. */
export function effectiveStatus(row: { status: PartnerStatus; valid_until: string | null }, today: string): PartnerStatus {
  return row.status === 'certified' && row.valid_until !== null && row.valid_until < today ? 'expired' : row.status;
}

export function benefitsOf(row: { benefits: unknown }): Benefit[] {
  return Array.isArray(row.benefits) ? (row.benefits as Benefit[]).map((b) => ({ type: b.type, text: b.text, schedule: b.schedule ?? null })) : [];
}

export function toPublic(row: PartnerRow & { distance?: number | null }, today: string): PublicPartner {
  return {
    id: row.id,
    regionId: row.region_id,
    regionName: row.region_name,
    name: row.name,
    kind: partnerKindOf(row.kind),
    status: effectiveStatus(row, today),
    address: row.address,
    lat: row.lat,
    lng: row.lng,
    description: row.description,
    hours: row.hours,
    benefits: benefitsOf(row),
    certificateNo: row.certificate_no,
    certifiedAt: row.certified_at?.toISOString() ?? null,
    validUntil: row.valid_until,
    distance: row.distance == null ? null : Math.round(Number(row.distance)),
  };
}

export function toSummary(row: PartnerRow, today: string): PartnerSummary {
  return {
    id: row.id,
    regionId: row.region_id,
    regionName: row.region_name,
    name: row.name,
    kind: partnerKindOf(row.kind),
    status: effectiveStatus(row, today),
    address: row.address,
    contactName: row.contact_name,
    // Masked for everyone after the application, staff included.
    contactPhone: maskPhone(row.contact_phone),
    benefitTypes: [...new Set(benefitsOf(row).map((b) => b.type as BenefitType))],
    certificateNo: row.certificate_no,
    validUntil: row.valid_until,
    createdAt: row.created_at.toISOString(),
  };
}

export function toDetail(
  row: PartnerRow & { reviewer_name?: string | null },
  extra: {
    staff: Array<{ id: string; name: string | null; phone: string | null; status: string }>;
    history: Array<{ id: string; from_status: string | null; to_status: string; reason: string; actor_name: string | null; created_at: Date }>;
    donations: number;
    reviewerName: string | null;
  },
  today: string,
): Partner {
  return {
    ...toPublic(row, today),
    contactName: row.contact_name,
    contactPhone: maskPhone(row.contact_phone),
    rejectionReason: row.rejection_reason,
    suspensionReason: row.suspension_reason,
    reviewedAt: row.reviewed_at?.toISOString() ?? null,
    reviewerName: extra.reviewerName,
    createdAt: row.created_at.toISOString(),
    staff: extra.staff.map((s) => ({ id: s.id, name: s.name, phone: maskPhone(s.phone), status: s.status })),
    history: extra.history.map((h) => ({ id: h.id, fromStatus: h.from_status, toStatus: h.to_status, reason: h.reason, actorName: h.actor_name, createdAt: h.created_at.toISOString() })),
    donations: extra.donations,
  };
}

/** 'YYYY-MM-DD' plus whole months, then minus a day: a year from 1 March holds until 28 February. */
export function validityEnd(from: string, months: number): string {
  const [y, m, d] = from.split('-').map(Number) as [number, number, number];
  const end = new Date(Date.UTC(y, m - 1 + months, d));
  // 31 January + 1 month overflows into March: clamp to the month's last day.
  if (end.getUTCDate() !== d) end.setUTCDate(0);
  end.setUTCDate(end.getUTCDate() - 1);
  return end.toISOString().slice(0, 10);
}

export function addDays(day: string, days: number): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}
