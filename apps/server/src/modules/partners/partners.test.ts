import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parsePartnerLink, partnerPageLink } from '@nuanxin/shared';
import { DB_KINDS, createTestApp, uniquePhone, type TestApp } from '../../../test/harness.ts';
import { PartnersService, moveTarget } from './partners.service.ts';
import { addDays, validityEnd } from './partners.views.ts';

const todayCst = () => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);

let counter = 0;
function application(overrides: Record<string, unknown> = {}) {
  counter += 1;
  return {
    regionId: '440114001001',
    name: `测试便利店${counter}-${Math.random().toString(36).slice(2, 6)}`,
    kind: 'merchant',
    address: '新华街三华路99号',
    lat: 23.4015,
    lng: 113.2165,
    contactName: '王老板',
    contactPhone: uniquePhone(),
    description: '24小时便利店',
    hours: '00:00-24:00',
    benefits: [
      { type: 'night_window', text: '夜间热水、微波炉', schedule: '22:00-06:00' },
      { type: 'discount', text: '骑手九折' },
    ],
    ...overrides,
  };
}

describe('plaque link', () => {
  it('reads back the partner id from any origin, and nothing from any other text', () => {
    fc.assert(
      fc.property(fc.webUrl({ withQueryParameters: false, withFragments: false }), fc.uuid(), (origin, id) => {
        expect(parsePartnerLink(partnerPageLink(origin, id))).toBe(id.toLowerCase());
      }),
    );
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (text) => {
        const id = parsePartnerLink(text);
        expect(id === null || /^[0-9a-f-]{36}$/.test(id)).toBe(true);
      }),
    );
    expect(parsePartnerLink('https://x.cn/stations/00000000-0000-4000-8000-000000000000')).toBeNull();
    expect(parsePartnerLink('/partners/not-an-id')).toBeNull();
  });
});

describe('partner validity and moves', () => {
  it('a year from a day ends the day before, clamped at month ends', () => {
    expect(validityEnd('2026-11-24', 12)).toBe('2027-11-23');
    expect(validityEnd('2026-03-01', 12)).toBe('2027-02-28');
    expect(validityEnd('2028-02-29', 12)).toBe('2029-02-27');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
  });
  it('allows only the moves of the machine', () => {
    expect(moveTarget('approve', 'applied', null, '2026-11-24')).toBe('certified');
    expect(moveTarget('approve', 'certified', '2027-01-01', '2026-11-24')).toBeNull();
    expect(moveTarget('suspend', 'applied', null, '2026-11-24')).toBeNull();
    expect(moveTarget('reinstate', 'suspended', '2026-01-01', '2026-11-24')).toBe('expired');
    expect(moveTarget('reinstate', 'suspended', '2027-01-01', '2026-11-24')).toBe('certified');
    expect(moveTarget('renew', 'expired', '2026-01-01', '2026-11-24')).toBe('certified');
    expect(moveTarget('renew', 'rejected', null, '2026-11-24')).toBeNull();
  });
});

describe.each(DB_KINDS)('partners on %s', (kind) => {
  let t: TestApp;
  let street: string;
  let otherStreet: string;
  let community: string;
  let barber: string;
  let district: string;
  beforeAll(async () => {
    t = await createTestApp(kind);
    street = await t.loginStaff('xinhua');
    otherStreet = await t.loginStaff('xinya');
    community = await t.loginStaff('sanhua');
    barber = await t.loginStaff('barber');
    district = await t.loginStaff('district');
  });
  afterAll(async () => t?.close());

  const apply = (body: unknown) => t.request('POST', '/api/v1/partners/applications', { body });
  const move = (token: string, id: string, body: Record<string, unknown>) => t.request('POST', `/api/v1/partners/manage/${id}/moves`, { token, body });
  const audits = async (id: string) => (await t.database.db.selectFrom('audit_log').select('action').where('entity_id', '=', id).orderBy('id').execute()).map((a) => a.action);

  it('anyone applies; staff see the application with the phone masked; it is not public until certified', async () => {
    const body = application();
    const res = await apply(body);
    expect(res.statusCode, res.body).toBe(200);
    const { id } = res.json();
    expect(res.json().status).toBe('applied');
    expect((await t.request('GET', `/api/v1/partners/${id}`)).statusCode).toBe(404);

    const list = await t.request('GET', '/api/v1/partners/manage?status=applied', { token: street });
    expect(list.statusCode).toBe(200);
    const row = list.json().items.find((p: { id: string }) => p.id === id);
    expect(row).toMatchObject({ status: 'applied', kind: 'merchant', contactPhone: `${body.contactPhone.slice(0, 3)}****${body.contactPhone.slice(7)}` });
    expect(list.json().counts.applied).toBeGreaterThanOrEqual(1);
    const detail = await t.request('GET', `/api/v1/partners/manage/${id}`, { token: community });
    expect(detail.statusCode).toBe(200);
    expect(detail.body).not.toContain(body.contactPhone);
    expect(detail.json().history).toMatchObject([{ toStatus: 'applied' }]);
    expect(await audits(id)).toEqual(['partner.apply']);
    // A reviewer who must call the shop sees the whole number, and that read is audited.
    const contact = await t.request('GET', `/api/v1/partners/manage/${id}/contact`, { token: street });
    expect(contact.json()).toEqual({ contactName: body.contactName, contactPhone: body.contactPhone });
    expect(await audits(id)).toEqual(['partner.apply', 'partner.contact.read']);
    expect((await t.request('GET', `/api/v1/partners/manage/${id}/contact`, { token: otherStreet })).json().error.code).toBe('OUT_OF_SCOPE');
    expect((await t.request('GET', `/api/v1/partners/manage/${id}/contact`, { token: barber })).statusCode).toBe(403);
    expect((await t.request('GET', `/api/v1/partners/manage/${id}/contact`)).statusCode).toBe(401);
    expect(await audits(id)).toEqual(['partner.apply', 'partner.contact.read']);

    // The same name in the same community is refused, and so is a region that is not a place.
    expect((await apply({ ...application(), name: body.name })).json().error.code).toBe('PARTNER_NAME_TAKEN');
    expect((await apply(application({ regionId: '440114' }))).json().error.code).toBe('REGION_NOT_COMMUNITY');
    expect((await apply(application({ regionId: '440114009009' }))).json().error.code).toBe('REGION_NOT_FOUND');
  });

  it('refuses bad applications with 400 and stores nothing', async () => {
    const before = await t.database.db.selectFrom('partners').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    for (const bad of [
      application({ kind: 'bank' }),
      application({ contactPhone: '12345' }),
      application({ benefits: [] }),
      application({ benefits: [{ type: 'discount', text: '<script>' }] }),
      application({ lat: 123 }),
      { ...application(), extra: 1 },
      application({ name: 'x' }),
    ]) {
      const res = await apply(bad);
      expect(res.statusCode, JSON.stringify(bad)).toBe(400);
      expect(res.json().error.code).toBe('VALIDATION_FAILED');
    }
    const after = await t.database.db.selectFrom('partners').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });

  it('the street certifies (授牌) with a number and a year; illegal moves get 409; others are refused', async () => {
    const body = application();
    const { id } = (await apply(body)).json();
    expect((await move(community, id, { move: 'approve' })).json().error.code).toBe('FORBIDDEN');
    expect((await move(otherStreet, id, { move: 'approve' })).json().error.code).toBe('OUT_OF_SCOPE');
    expect((await move(street, id, { move: 'suspend', reason: '测试' })).statusCode).toBe(409);
    expect((await move(street, id, { move: 'renew' })).json().error.code).toBe('PARTNER_ILLEGAL_MOVE');

    const approved = await move(street, id, { move: 'approve', createAccount: true });
    expect(approved.statusCode, approved.body).toBe(200);
    const p = approved.json();
    expect(p.status).toBe('certified');
    expect(p.certificateNo).toMatch(/^NX-440114-\d{4}-[0-9A-F]{8}$/);
    expect(p.validUntil).toBe(validityEnd(todayCst(), 12));
    expect(p.reviewerName).toBe('吴晓梅');
    expect(p.staff).toHaveLength(1);
    expect(p.staff[0].phone).toMatch(/^\d{3}\*{4}\d{4}$/);
    const again = await move(street, id, { move: 'approve' });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('PARTNER_ILLEGAL_MOVE');
    expect((await move(street, id, { move: 'reject', reason: '重复' })).statusCode).toBe(409);

    const page = await t.request('GET', `/api/v1/partners/${id}`);
    expect(page.statusCode).toBe(200);
    expect(page.json()).toMatchObject({ status: 'certified', certificateNo: p.certificateNo, benefits: [{ type: 'night_window', schedule: '22:00-06:00' }, { type: 'discount', schedule: null }] });
    expect(page.body).not.toContain(body.contactPhone);
    expect(page.body).not.toContain('contactPhone');
    expect(await audits(id)).toEqual(['partner.apply', 'partner.approve']);

    // The new partner-staff account logs in by SMS and keeps its own benefits, not others'.
    const staff = await t.loginPhone(body.contactPhone);
    const mine = await t.request('GET', `/api/v1/partners/manage/${id}`, { token: staff });
    expect(mine.statusCode).toBe(200);
    const edit = { address: '新华街三华路100号', lat: 23.4016, lng: 113.2166, contactName: '王老板', description: '改', hours: '全天', benefits: [{ type: 'booking', text: '可预约', schedule: null }] };
    const updated = await t.request('PUT', `/api/v1/partners/manage/${id}`, { token: staff, body: edit });
    expect(updated.statusCode, updated.body).toBe(200);
    expect(updated.json().benefits).toEqual([{ type: 'booking', text: '可预约', schedule: null }]);
    expect(updated.json().contactPhone).toBe(p.contactPhone);
    const barberPartner = (await t.request('GET', '/api/v1/me', { token: barber })).json();
    expect(barberPartner.role).toBe('partner_staff');
    expect((await t.request('GET', `/api/v1/partners/manage/${id}`, { token: barber })).json().error.code).toBe('NOT_YOUR_PARTNER');
    expect((await t.request('PUT', `/api/v1/partners/manage/${id}`, { token: barber, body: edit })).json().error.code).toBe('NOT_YOUR_PARTNER');

    // Suspension shows on the public page and hides the partner from the directory; the staff are told.
    expect((await move(street, id, { move: 'suspend' })).json().error.code).toBe('PARTNER_REASON_REQUIRED');
    const suspended = await move(street, id, { move: 'suspend', reason: '优惠未兑现' });
    expect(suspended.json()).toMatchObject({ status: 'suspended', suspensionReason: '优惠未兑现' });
    expect((await t.request('GET', `/api/v1/partners/${id}`)).json().status).toBe('suspended');
    const dir = await t.request('GET', '/api/v1/partners?pageSize=100');
    expect(dir.json().items.map((x: { id: string }) => x.id)).not.toContain(id);
    const messages = await t.database.db.selectFrom('messages' as never).select(['title' as never]).where('user_id' as never, '=', p.staff[0].id as never).execute();
    expect((messages as Array<{ title: string }>).map((m) => m.title)).toEqual(expect.arrayContaining(['合作单位申请已通过', '合作单位资格已暂停']));

    expect((await move(street, id, { move: 'reinstate' })).json().status).toBe('certified');
    const renewed = await move(district, id, { move: 'renew' });
    expect(renewed.json().validUntil).toBe(validityEnd(addDays(p.validUntil, 1), 12));
    expect(await audits(id)).toEqual(['partner.apply', 'partner.approve', 'partner.update', 'partner.suspend', 'partner.reinstate', 'partner.renew']);
  });

  it('a rejection carries its reason and ends the application', async () => {
    const { id } = (await apply(application())).json();
    expect((await move(street, id, { move: 'reject' })).json().error.code).toBe('PARTNER_REASON_REQUIRED');
    const res = await move(street, id, { move: 'reject', reason: '地址无法核实' });
    expect(res.json()).toMatchObject({ status: 'rejected', rejectionReason: '地址无法核实' });
    expect((await move(street, id, { move: 'approve' })).json().error.code).toBe('PARTNER_ILLEGAL_MOVE');
    expect((await t.request('GET', `/api/v1/partners/${id}`)).statusCode).toBe(404);
  });

  it('the expiry job expires certifications past their day and warns those running out, once; renewal brings them back', async () => {
    const body = application();
    const { id } = (await apply(body)).json();
    await move(street, id, { move: 'approve', createAccount: true });
    const service = new PartnersService(t.database);
    await t.database.db.updateTable('partners').set({ valid_until: addDays(todayCst(), 10) }).where('id', '=', id).execute();
    await service.expireDue();
    const warned = await t.database.db.selectFrom('partners').select('expiry_notified_at').where('id', '=', id).executeTakeFirstOrThrow();
    expect(warned.expiry_notified_at).not.toBeNull();
    await service.expireDue();

    await t.database.db.updateTable('partners').set({ valid_until: addDays(todayCst(), -1) }).where('id', '=', id).execute();
    // Computed at once, before the job runs.
    expect((await t.request('GET', `/api/v1/partners/${id}`)).json().status).toBe('expired');
    expect((await move(street, id, { move: 'suspend', reason: '测试' })).json().error.code).toBe('PARTNER_ILLEGAL_MOVE');
    expect(await service.expireDue()).toBeGreaterThanOrEqual(1);
    const row = await t.database.db.selectFrom('partners').select('status').where('id', '=', id).executeTakeFirstOrThrow();
    expect(row.status).toBe('expired');
    const renewed = await move(street, id, { move: 'renew' });
    expect(renewed.json()).toMatchObject({ status: 'certified', validUntil: validityEnd(todayCst(), 12) });
    expect(renewed.json().history.map((h: { toStatus: string }) => h.toStatus)).toEqual(['certified', 'expired', 'certified', 'applied']);
  });

  it('the directory lists certified partners nearest first, filters by kind, benefit, region and words, and shows no contact', async () => {
    const here = { lat: 23.4012, lng: 113.2161 };
    const res = await t.request('GET', `/api/v1/partners?lat=${here.lat}&lng=${here.lng}&pageSize=50`);
    expect(res.statusCode).toBe(200);
    const items = res.json().items as Array<{ distance: number; status: string; name: string; kind: string; benefits: Array<{ type: string }>; regionId: string }>;
    expect(items.length).toBeGreaterThanOrEqual(6);
    const distances = items.map((i) => i.distance);
    expect(distances).toEqual([...distances].sort((a, b) => a - b));
    expect(items[0]!.name).toBe('暖心理发（三华店）');
    expect(items.every((i) => i.status === 'certified')).toBe(true);
    expect(res.body).not.toMatch(/contact|1[3-9]\d{9}/);

    const hospitals = (await t.request('GET', '/api/v1/partners?kind=hospital')).json().items as typeof items;
    expect(hospitals.map((i) => i.name)).toEqual(['新华社区卫生服务中心']);
    const night = (await t.request('GET', '/api/v1/partners?benefit=night_window')).json().items as typeof items;
    expect(night.length).toBeGreaterThanOrEqual(1);
    expect(night.every((i) => i.benefits.some((b) => b.type === 'night_window'))).toBe(true);
    const xinya = (await t.request('GET', '/api/v1/partners?regionId=440114002')).json().items as typeof items;
    expect(xinya.length).toBeGreaterThanOrEqual(2);
    expect(xinya.every((i) => i.regionId.startsWith('440114002'))).toBe(true);
    const found = (await t.request('GET', `/api/v1/partners?q=${encodeURIComponent('理发')}`)).json();
    expect(found.total).toBe(1);
    expect((await t.request('GET', '/api/v1/partners?lat=91&lng=0')).statusCode).toBe(400);
  });

  it('donations: a partner records its own, admins record for a certified partner in scope; counted per community', async () => {
    const photoless = { regionId: '440114001001', item: '共享单车', quantity: 10, unit: '辆', recipient: '三华花园', donatedOn: '2026-11-01' };
    const own = await t.request('POST', '/api/v1/partners/donations', { token: barber, body: photoless });
    expect(own.statusCode, own.body).toBe(200);
    expect(own.json()).toMatchObject({ partnerName: '暖心理发（三华店）', quantity: 10, regionName: '三华社区' });
    expect(await audits(own.json().id)).toEqual(['partner.donation']);

    const academy = (await t.database.db.selectFrom('partners').select('id').where('name', '=', '花都新就业群体学院').executeTakeFirstOrThrow()).id;
    expect((await t.request('POST', '/api/v1/partners/donations', { token: barber, body: { ...photoless, partnerId: academy } })).json().error.code).toBe('DONATION_PARTNER_INVALID');
    expect((await t.request('POST', '/api/v1/partners/donations', { token: community, body: photoless })).json().error.code).toBe('DONATION_PARTNER_INVALID');
    const byAdmin = await t.request('POST', '/api/v1/partners/donations', { token: community, body: { ...photoless, partnerId: academy, item: '雨衣', quantity: 30, unit: '件' } });
    expect(byAdmin.statusCode, byAdmin.body).toBe(200);
    expect((await t.request('POST', '/api/v1/partners/donations', { token: otherStreet, body: { ...photoless, partnerId: academy } })).json().error.code).toBe('OUT_OF_SCOPE');
    expect((await t.request('POST', '/api/v1/partners/donations', { token: community, body: { ...photoless, partnerId: academy, regionId: '440114001' } })).json().error.code).toBe('REGION_NOT_COMMUNITY');

    const list = await t.request('GET', '/api/v1/partners/donations?regionId=440114001', { token: street });
    expect(list.statusCode).toBe(200);
    expect(list.json().byRegion).toEqual([{ regionId: '440114001001', regionName: '三华社区', donations: 2, quantity: 40 }]);
    const mine = await t.request('GET', '/api/v1/partners/donations', { token: barber });
    expect(mine.json().items.map((d: { partnerName: string }) => d.partnerName)).toEqual(['暖心理发（三华店）']);
    // The other street sees its own (the demo donation to 广塘), not ours.
    const theirs = await t.request('GET', '/api/v1/partners/donations', { token: otherStreet });
    expect(theirs.json().items.every((d: { regionId: string }) => d.regionId.startsWith('440114002'))).toBe(true);
    expect((await t.request('GET', '/api/v1/partners/donations?regionId=440114001', { token: otherStreet })).json().error.code).toBe('OUT_OF_SCOPE');
  });

  it('pledges: versions, one signature per person (or organisation) per version, workers masked publicly', async () => {
    const worker = await t.newWorker('440114001001');
    const text = { regionId: '440114001001', title: '三华社区友好街区公约', body: '物业提供楼栋指引；骑手文明骑行；社区设置停车点。' };
    const v1 = await t.request('POST', '/api/v1/pledges', { token: community, body: text });
    expect(v1.statusCode, v1.body).toBe(200);
    expect(v1.json()).toMatchObject({ version: 1, counts: { community: 0, property: 0, worker: 0 } });
    // The same words again are not a new version.
    expect((await t.request('POST', '/api/v1/pledges', { token: community, body: text })).json().id).toBe(v1.json().id);
    expect((await t.request('POST', '/api/v1/pledges', { token: community, body: { ...text, regionId: '440114002001' } })).json().error.code).toBe('OUT_OF_SCOPE');
    expect((await t.request('POST', '/api/v1/pledges', { token: community, body: { ...text, regionId: '440114001' } })).json().error.code).toBe('REGION_NOT_COMMUNITY');

    const sign = (token: string, id: string) => t.request('POST', `/api/v1/pledges/${id}/signatures`, { token });
    const signOrg = (token: string, id: string) => t.request('POST', `/api/v1/pledges/${id}/org-signatures`, { token });
    const first = await sign(worker.token, v1.json().id);
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toMatchObject({ kind: 'worker', name: '测**手' });
    const twice = await sign(worker.token, v1.json().id);
    expect(twice.statusCode).toBe(409);
    expect(twice.json().error.code).toBe('PLEDGE_ALREADY_SIGNED');
    expect((await signOrg(community, v1.json().id)).json()).toMatchObject({ kind: 'community', name: '三华社区居委会' });
    expect((await signOrg(community, v1.json().id)).json().error.code).toBe('PLEDGE_ALREADY_SIGNED');
    // A barber is not a property company.
    expect((await signOrg(barber, v1.json().id)).json().error.code).toBe('PLEDGE_SIGNER_INVALID');

    const page = await t.request('GET', '/api/v1/pledges/community/440114001001');
    expect(page.json().pledge).toMatchObject({ version: 1, counts: { community: 1, property: 0, worker: 1 } });
    expect(page.json().signatories.map((s: { kind: string; name: string }) => `${s.kind}:${s.name}`)).toEqual(['community:三华社区居委会', 'worker:测**手']);
    expect(page.body).not.toContain('测试骑手');
    expect(page.body).not.toContain(worker.phone);
    expect((await t.request('GET', '/api/v1/pledges/signed', { token: worker.token })).json().pledgeIds).toEqual([v1.json().id]);

    const v2 = await t.request('POST', '/api/v1/pledges', { token: community, body: { ...text, body: `${text.body}新增：夜间照明。` } });
    expect(v2.json()).toMatchObject({ version: 2, counts: { community: 0, property: 0, worker: 0 } });
    expect((await sign(worker.token, v1.json().id)).json().error.code).toBe('PLEDGE_NOT_CURRENT');
    expect((await sign(worker.token, v2.json().id)).statusCode).toBe(200);
    const manage = await t.request('GET', '/api/v1/pledges/manage', { token: community });
    expect(manage.json().items).toMatchObject([{ id: v2.json().id, signedByUs: false, counts: { worker: 1 } }]);

    // The property company of 广塘 signs the new version of its community's pledge.
    const guangtang = await t.loginStaff('guangtang');
    const anju = await t.loginStaff('anju');
    const demo = (await t.request('GET', '/api/v1/pledges/community/440114002001')).json();
    expect(demo.pledge.counts).toEqual({ community: 1, property: 1, worker: 1 });
    expect((await signOrg(anju, demo.pledge.id)).json().error.code).toBe('PLEDGE_ALREADY_SIGNED');
    expect((await signOrg(anju, v2.json().id)).json().error.code).toBe('PLEDGE_SIGNER_INVALID');
    const g2 = await t.request('POST', '/api/v1/pledges', { token: guangtang, body: { regionId: '440114002001', title: demo.pledge.title, body: `${demo.pledge.body}\n五、新增条款。` } });
    expect((await signOrg(anju, g2.json().id)).json()).toMatchObject({ kind: 'property', name: '安居物业·广塘小站' });
    expect((await t.request('GET', '/api/v1/pledges?regionId=440114')).json().items.map((p: { version: number }) => p.version)).toEqual([2, 2]);
  });
});
