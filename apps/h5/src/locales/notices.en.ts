import type notices from './notices.zh-CN.ts';

const en: typeof notices = {
  tab: 'Inbox',
  center: {
    title: 'Messages',
    messages: 'Messages',
    notices: 'Notices',
    readAll: 'Mark all read',
    readAllDone: 'All marked as read',
    settings: 'Message settings',
    emptyMessages: 'No messages yet',
    emptyNotices: 'No notices yet',
    unread: 'Unread',
    pinned: 'Pinned',
  },
  topics: {
    case: 'My reports',
    wish: 'Micro-wishes',
    activity: 'Activities',
    voucher: 'Vouchers',
    notice: 'Notices',
    partner: 'Partners',
    organization: 'Party and teams',
    honor: 'Honors',
  },
  kinds: { announcement: 'Announcement', policy: 'Policy', initiative: 'Initiative' },
  detail: {
    title: 'Notice',
    from: '{region} · {time}',
    attachments: 'Attachments',
    notFound: 'This notice does not exist or was withdrawn',
  },
  settings: {
    title: 'Message settings',
    tip: 'Per topic: in-app messages appear under Messages; SMS / WeChat reminders go out only for topics you turn on.',
    inApp: 'In-app',
    outbound: 'SMS / WeChat',
    saved: 'Saved',
  },
};

export default en;
