import { withTransaction, type Database } from '../client.ts';
import { deliver } from '../../modules/notices/inbox.ts';
import '../../modules/notices/notices.schema.ts';

/** Demo notices [author, region, kind, title, body, pinned, published days ago (null: a draft)]. */
const NOTICES = [
  ['district', '440114', 'policy', '花都区新就业群体职业伤害保障政策解读', '一、参保对象：在本区从业的外卖骑手、快递员、网约车司机等新就业形态劳动者。\n二、保障内容：工作中受到事故伤害的，可按规定享受医疗费、伤残津贴等待遇。\n三、办理方式：由平台企业统一参保，个人无需缴费。如有疑问，可到就近暖新驿站咨询。', true, 6],
  ['xinhua', '440114001', 'initiative', '致新华街道新就业群体的一封倡议书', '骑手朋友们：请遵守交通规则，不闯红灯、不逆行；发现井盖缺失、道路破损等问题，请用“随手拍”告诉我们。让我们一起把新华街道建设得更美好！', false, 3],
  ['sanhua', '440114001001', 'announcement', '三华社区暖新驿站夏季开放时间调整', '自本周起，三华社区暖新驿站开放时间调整为每天 7:00—23:00，提供饮水、充电、微波炉和休息座椅。周四下午有义诊，欢迎前来。', false, 1],
  ['sanhua', '440114001001', 'announcement', '社区骑手座谈会（草稿）', '拟于下月初召开骑手座谈会，听取大家对停车、进小区的意见。', false, null],
] as const;

/** Loads demo notices and a few messages for 张伟; titles make a second run add nothing. */
export async function seedDemoNotices(database: Database, now = new Date()): Promise<void> {
  await withTransaction(database.db, async (tx) => {
    const authors = new Map((await tx.selectFrom('users').select(['id', 'username']).where('username', 'in', ['district', 'xinhua', 'sanhua']).execute()).map((u) => [u.username, u.id]));
    for (const [author, regionId, kind, title, body, pinned, daysAgo] of NOTICES) {
      const exists = await tx.selectFrom('notices').select('id').where('region_id', '=', regionId).where('title', '=', title).executeTakeFirst();
      if (exists) continue;
      const at = daysAgo === null ? null : new Date(now.getTime() - daysAgo * 86_400_000);
      await tx
        .insertInto('notices')
        .values({ region_id: regionId, kind, title, body, pinned, author_id: authors.get(author)!, status: at ? 'published' : 'draft', published_at: at, withdrawn_at: null })
        .execute();
    }
    const zhang = await tx.selectFrom('users').select('id').where('phone', '=', '13900000001').executeTakeFirst();
    if (zhang) {
      await deliver(tx, [
        { userId: zhang.id, topic: 'notice', title: '欢迎使用暖新消息中心', body: '报事进展、兑换券、活动和心愿的消息都会在这里提醒您，可在“我的 → 消息设置”里选择接收方式。', key: 'demo:welcome' },
      ]);
    }
  });
}
