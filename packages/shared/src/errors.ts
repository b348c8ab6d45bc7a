/**
 * Stable error codes: one table gives each code its HTTP status and its message in every UI language.
 * Clients match on `code`; the message is for people. `{name}` placeholders are filled from `details`.
 */
export const ERRORS = {
  VALIDATION_FAILED: { status: 400, 'zh-CN': '提交的内容有误，请检查后重试', en: 'Some fields are invalid' },
  INVALID_JSON: { status: 400, 'zh-CN': '请求格式不正确', en: 'The request body is not valid JSON' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, 'zh-CN': '不支持的内容类型', en: 'Unsupported content type' },
  PAYLOAD_TOO_LARGE: { status: 413, 'zh-CN': '提交的内容太大', en: 'The request is too large' },
  UNAUTHENTICATED: { status: 401, 'zh-CN': '请先登录', en: 'Please log in' },
  FORBIDDEN: { status: 403, 'zh-CN': '您没有权限进行此操作', en: 'You are not allowed to do this' },
  OUT_OF_SCOPE: { status: 403, 'zh-CN': '超出您的管辖区域', en: 'This is outside your region' },
  NOT_FOUND: { status: 404, 'zh-CN': '找不到该内容', en: 'Not found' },
  ROUTE_NOT_FOUND: { status: 404, 'zh-CN': '接口不存在', en: 'No such endpoint' },
  METHOD_NOT_ALLOWED: { status: 405, 'zh-CN': '不支持该请求方法', en: 'Method not allowed' },
  CONFLICT: { status: 409, 'zh-CN': '数据已被修改或已存在，请刷新后重试', en: 'This conflicts with existing data; please refresh and try again' },
  CANNOT_CHANGE_SELF: { status: 400, 'zh-CN': '不能对自己的账号进行此操作', en: 'You cannot do this to your own account' },
  IDEMPOTENCY_KEY_REUSED: { status: 409, 'zh-CN': '重复提交的请求内容不一致', en: 'This Idempotency-Key was used with a different request' },
  IDEMPOTENCY_IN_PROGRESS: { status: 409, 'zh-CN': '该请求正在处理中，请稍候', en: 'This request is still being processed' },
  RATE_LIMITED: { status: 429, 'zh-CN': '操作太频繁，请稍后再试', en: 'Too many requests, please try again later' },
  SMS_TOO_FREQUENT: { status: 429, 'zh-CN': '验证码发送太频繁，请{seconds}秒后再试', en: 'Please wait {seconds} seconds before asking for another code' },
  SMS_CODE_INVALID: { status: 401, 'zh-CN': '验证码不正确', en: 'The code is not correct' },
  SMS_CODE_EXPIRED: { status: 401, 'zh-CN': '验证码已过期，请重新获取', en: 'The code has expired, please ask for a new one' },
  SMS_CODE_LOCKED: { status: 429, 'zh-CN': '验证码错误次数过多，请重新获取', en: 'Too many wrong codes, please ask for a new one' },
  BAD_CREDENTIALS: { status: 401, 'zh-CN': '用户名或密码错误', en: 'Wrong username or password' },
  ACCOUNT_DISABLED: { status: 403, 'zh-CN': '账号已停用，请联系管理员', en: 'This account is disabled' },
  NOT_A_WORKER: { status: 403, 'zh-CN': '只有新就业群体账号可以填写此资料', en: 'Only worker accounts have this profile' },
  REGION_NOT_COMMUNITY: { status: 400, 'zh-CN': '请选择一个社区', en: 'Please choose a community' },
  REGION_NOT_FOUND: { status: 404, 'zh-CN': '找不到该区域', en: 'No such region' },
  IDEMPOTENCY_KEY_REQUIRED: { status: 400, 'zh-CN': '缺少请求标识，请刷新页面后重试', en: 'This request needs an Idempotency-Key header' },
  INSUFFICIENT_POINTS: { status: 409, 'zh-CN': '积分不足', en: 'Not enough points' },
  EARNING_SUSPENDED: { status: 403, 'zh-CN': '积分获取已暂停至 {until}', en: 'Earning points is suspended until {until}' },
  RULE_INACTIVE: { status: 409, 'zh-CN': '该积分规则当前不可用', en: 'This points rule is not in force' },
  RULE_NOT_CLAIMABLE: { status: 400, 'zh-CN': '该规则不能自行申报', en: 'Points under this rule cannot be claimed' },
  CAP_REACHED: { status: 409, 'zh-CN': '已达到该规则的积分上限（每日或每月）', en: 'The daily or monthly limit of this rule has been reached' },
  ALREADY_AWARDED: { status: 409, 'zh-CN': '该事项已经奖励过积分', en: 'Points were already awarded for this' },
  TRANSFER_KEY_CONFLICT: { status: 409, 'zh-CN': '同一请求标识对应了不同的内容', en: 'This transfer id was used with different fields' },
  ALREADY_REVERSED: { status: 409, 'zh-CN': '该笔积分已被冲正', en: 'This transfer was already reversed' },
  NOT_REVERSIBLE: { status: 409, 'zh-CN': '该笔积分不能冲正（可能已被使用）', en: 'This transfer cannot be reversed (the points may have been spent)' },
  INVALID_STATE: { status: 409, 'zh-CN': '当前状态下不能进行此操作', en: 'This cannot be done in the current state' },
  OUT_OF_STOCK: { status: 409, 'zh-CN': '已兑完', en: 'Out of stock' },
  LIMIT_REACHED: { status: 409, 'zh-CN': '已达到每人兑换上限', en: 'You have reached the limit for this reward' },
  NOT_REDEMPTION_DAY: { status: 409, 'zh-CN': '今天不是兑换日，兑换日为每月{days}日', en: 'Redemption is open on day {days} of each month' },
  REWARD_NOT_AVAILABLE: { status: 409, 'zh-CN': '该兑换项目当前不可兑换', en: 'This reward is not available now' },
  VOUCHER_NOT_FOUND: { status: 404, 'zh-CN': '核销码无效', en: 'No such voucher code' },
  VOUCHER_USED: { status: 409, 'zh-CN': '该券已核销', en: 'This voucher was already used' },
  VOUCHER_EXPIRED: { status: 409, 'zh-CN': '该券已失效', en: 'This voucher is no longer valid' },
  NOT_YOUR_VOUCHER: { status: 403, 'zh-CN': '该券不属于本商家', en: 'This voucher belongs to another partner' },
  IMAGE_UNSUPPORTED: { status: 415, 'zh-CN': '只能上传 JPEG、PNG 或 WebP 格式的照片', en: 'Only JPEG, PNG or WebP photos can be uploaded' },
  IMAGE_HEIC_UNSUPPORTED: { status: 415, 'zh-CN': '暂不支持 HEIC 格式，请通过本页面拍照上传（会自动转换），或在相机设置中选择“兼容性最佳”', en: 'HEIC photos are not supported yet: take the photo from this page (it converts them) or set the camera to "Most Compatible"' },
  IMAGE_UNREADABLE: { status: 400, 'zh-CN': '照片已损坏或无法读取', en: 'The photo is damaged or cannot be read' },
  IMAGE_TOO_LARGE: { status: 413, 'zh-CN': '照片尺寸太大（最多 {maxPixels} 像素）', en: 'The photo has too many pixels (at most {maxPixels})' },
  PHOTO_NOT_USABLE: { status: 400, 'zh-CN': '照片无效或已被使用，请重新上传', en: 'A photo is unknown or already used elsewhere; please upload it again' },
  MEDIA_LINK_INVALID: { status: 403, 'zh-CN': '图片链接无效或已过期，请刷新页面', en: 'This photo link is invalid or has expired; please reload the page' },
  CASE_ILLEGAL_TRANSITION: { status: 409, 'zh-CN': '案件当前状态下不能进行此操作，请刷新查看最新进展', en: 'This step is not possible in the case’s current state; please refresh' },
  CASE_NOT_YOUR_DEPARTMENT: { status: 403, 'zh-CN': '该案件未派遣给您所在的部门', en: 'This case was not dispatched to your department' },
  CATEGORY_NOT_FOUND: { status: 400, 'zh-CN': '找不到该报事类别，请重新选择', en: 'No such report category; please choose again' },
  CATEGORY_PARENT_INVALID: { status: 400, 'zh-CN': '上级类别须为同一区的一级类别', en: 'The parent must be a top-level category of the same district' },
  POSITION_OUT_OF_RANGE: { status: 400, 'zh-CN': '该位置不在服务范围内，请确认定位后重试', en: 'This position is outside the area we serve; please check the location' },
  CASE_DUPLICATE_INVALID: { status: 400, 'zh-CN': '所选原案件无效：须为同一类别、未结案的另一案件', en: 'The original must be another open case of the same category' },
  CASE_DISPATCH_TARGET_INVALID: { status: 400, 'zh-CN': '请选择负责该区域的部门或本社区的网格', en: 'Choose a department responsible for this area or a grid of this community' },
  CASE_ASSIGNEE_INVALID: { status: 400, 'zh-CN': '该人员不能承办此案件', en: 'This person cannot take this case' },
  CASE_DUE_INVALID: { status: 400, 'zh-CN': '延期后的期限须晚于当前期限', en: 'The new due time must be later than the current one' },
  TOO_MANY_REQUESTS: { status: 429, 'zh-CN': '操作太频繁，请{seconds}秒后再试', en: 'Too many requests: please try again in {seconds} seconds' },
  LOGIN_LOCKED: { status: 429, 'zh-CN': '密码错误次数过多，账号已暂时锁定，请{minutes}分钟后再试', en: 'Too many wrong passwords: this account is locked for {minutes} minutes' },
  CHECKIN_CODE_INVALID: { status: 400, 'zh-CN': '签到码不正确或已过期，请扫描驿站屏幕上当前的二维码', en: 'This check-in code is wrong or has expired; scan the code the station shows now' },
  CHECKIN_TOO_MANY_TRIES: { status: 429, 'zh-CN': '签到码输错次数太多，请{minutes}分钟后再试', en: 'Too many wrong check-in codes; please try again in {minutes} minutes' },
  STATION_NOT_OPEN: { status: 409, 'zh-CN': '该驿站尚未启用或已停用，暂不能签到和预约', en: 'This station is not in service; check-in and booking are closed' },
  VISIT_NOT_RATEABLE: { status: 409, 'zh-CN': '这次到访已评价过，或已超过{days}天评价期', en: 'This visit was already rated, or is older than {days} days' },
  SESSION_INVALID: { status: 400, 'zh-CN': '结束时间须晚于开始时间；每周重复的截止日期不能早于开始日期，单次服务不设截止日期', en: 'The end must be after the start; a weekly session ends on or after its first day, a one-off has no end date' },
  SESSION_NOT_BOOKABLE: { status: 409, 'zh-CN': '该场次已开始、已取消或不在可预约的日期内', en: 'This session has started, was cancelled, or is not held on that day' },
  SESSION_FULL: { status: 409, 'zh-CN': '该场次名额已满', en: 'This session is fully booked' },
  BOOKING_NOT_CANCELLABLE: { status: 409, 'zh-CN': '预约已取消或场次已开始，不能再取消', en: 'This booking was cancelled already, or the session has started' },
  STATION_ILLEGAL_MOVE: { status: 409, 'zh-CN': '驿站当前状态下不能进行此操作，请刷新后查看', en: 'This is not possible in the station’s current state; please refresh' },
  STATION_NAME_TAKEN: { status: 409, 'zh-CN': '该区域已有同名驿站', en: 'A station of this name already exists in this region' },
  NOT_YOUR_STATION: { status: 403, 'zh-CN': '您只能修改自己负责的驿站', en: 'You can only change the station you look after' },
  CHECKLIST_NOT_FOUND: { status: 400, 'zh-CN': '找不到该驿站所在区可用的验收模板', en: 'No usable checklist template of this station’s district' },
  CHECKLIST_REGION_INVALID: { status: 400, 'zh-CN': '验收模板须属于一个区', en: 'A checklist template belongs to a district' },
  INSPECTION_SCORES_INVALID: { status: 400, 'zh-CN': '评分须逐项填写，且不超过该项分值', en: 'Give every item one score, no higher than its weight' },
  INSPECTION_DATE_INVALID: { status: 400, 'zh-CN': '验收日期不能晚于今天', en: 'The inspection date cannot be in the future' },
  IMPORT_NOT_XLSX: { status: 415, 'zh-CN': '请上传 Excel 文件（.xlsx），可先下载导入模板', en: 'Please upload an Excel workbook (.xlsx); the import template shows the columns' },
  IMPORT_EMPTY: { status: 400, 'zh-CN': '表格中没有数据行', en: 'The workbook has no data rows' },
  IMPORT_TOO_MANY_ROWS: { status: 400, 'zh-CN': '一次最多导入 {max} 行，请分批导入', en: 'At most {max} rows can be imported at once; please split the file' },
  IMPORT_ROWS_INVALID: { status: 400, 'zh-CN': '有 {count} 处错误，未导入任何数据；请按错误报告修改后重新上传', en: '{count} problems found, nothing was imported; please fix them as listed and upload again' },
  DASHBOARD_RANGE_INVALID: { status: 400, 'zh-CN': '开始日期不能晚于结束日期', en: 'The start date must not be after the end date' },
  DASHBOARD_RANGE_TOO_LONG: { status: 400, 'zh-CN': '统计区间太长：最多{maxDays}天', en: 'The period is too long: at most {maxDays} days' },
  DATABASE_UNAVAILABLE: { status: 503, 'zh-CN': '服务暂时繁忙，请几秒后重试', en: 'The service is briefly unavailable; please try again in a few seconds' },
  JSON_TOO_DEEP: { status: 400, 'zh-CN': '请求内容嵌套层级过多（最多 {max} 层）', en: 'The request nests too deeply (at most {max} levels)' },
  INTERNAL: { status: 500, 'zh-CN': '服务器开小差了，请稍后重试（编号 {requestId}）', en: 'Something went wrong on our side (ref {requestId})' },
} as const satisfies Record<string, { status: number; 'zh-CN': string; en: string }>;

export type ErrorCode = keyof typeof ERRORS;
export const LANGS = ['zh-CN', 'en'] as const;
export type Lang = (typeof LANGS)[number];

/** What is wrong with one field, by zod issue code, in each UI language. */
export const FIELD_MESSAGES: Record<string, Record<Lang, string>> = {
  invalid_type: { 'zh-CN': '类型不正确或未填写', en: 'Missing or of the wrong type' },
  too_small: { 'zh-CN': '太短或太小', en: 'Too short or too small' },
  too_big: { 'zh-CN': '太长或太大', en: 'Too long or too large' },
  invalid_format: { 'zh-CN': '格式不正确', en: 'Wrong format' },
  invalid_value: { 'zh-CN': '不是可选的值', en: 'Not one of the allowed values' },
  unrecognized_keys: { 'zh-CN': '包含不允许的字段', en: 'Contains fields that are not allowed' },
  invalid_union: { 'zh-CN': '内容不符合要求', en: 'Does not match any accepted form' },
  custom: { 'zh-CN': '包含不允许的字符', en: 'Contains characters that are not allowed' },
};

export function fieldMessage(issueCode: string, lang: Lang): string {
  return (FIELD_MESSAGES[issueCode] ?? FIELD_MESSAGES.invalid_union!)[lang];
}

/** The `{"error":{...}}` body every /api/v1 error has. */
export interface ErrorBody {
  error: { code: ErrorCode; message: string; details?: Record<string, unknown> };
}

/** Picks zh-CN unless the Accept-Language header prefers English. */
export function pickLang(acceptLanguage: string | undefined | null): Lang {
  if (!acceptLanguage) return 'zh-CN';
  const first = acceptLanguage.split(',')[0]?.trim().toLowerCase() ?? '';
  return first.startsWith('en') ? 'en' : 'zh-CN';
}

export function errorMessage(code: ErrorCode, lang: Lang, vars: Record<string, unknown> = {}): string {
  return ERRORS[code][lang].replace(/\{(\w+)\}/g, (_, key: string) => String(vars[key] ?? ''));
}
