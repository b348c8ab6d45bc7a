// The notices (公告) and message center (消息) section of zh-CN.ts, kept in its own file.
const notices = {
  tab: '消息',
  center: {
    title: '消息中心',
    messages: '消息',
    notices: '公告',
    readAll: '全部已读',
    readAllDone: '已全部标为已读',
    settings: '消息设置',
    emptyMessages: '暂时没有消息',
    emptyNotices: '暂时没有公告',
    unread: '未读',
    pinned: '置顶',
  },
  topics: {
    case: '报事进展',
    wish: '微心愿',
    activity: '活动',
    voucher: '兑换券',
    notice: '公告通知',
    partner: '合作商家',
    organization: '党建与队伍',
    honor: '荣誉表彰',
  },
  kinds: { announcement: '公告', policy: '政策', initiative: '倡议书' },
  detail: {
    title: '公告详情',
    from: '{region} · {time}',
    attachments: '附件',
    notFound: '该公告不存在或已撤回',
  },
  settings: {
    title: '消息设置',
    tip: '按类别选择：站内消息在“消息”里查看；短信/微信提醒只发给您打开的类别。',
    inApp: '站内消息',
    outbound: '短信/微信提醒',
    saved: '已保存',
  },
};

export default notices;
