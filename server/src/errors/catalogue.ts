/**
 * The one catalogue of API errors (CONVENTIONS.md §3). Every error the API
 * returns has a code from here; docs/errors.md documents each one (a test
 * keeps the two in step). Messages take `{param}` placeholders.
 */
export interface CatalogueEntry {
  status: number;
  'zh-CN': string;
  en: string;
}

export const catalogue = {
  CRM_ERR_BAD_REQUEST: { status: 400, 'zh-CN': '请求格式不正确：{reason}', en: 'Malformed request: {reason}' },
  CRM_ERR_UNKNOWN_IDENTIFIER: { status: 400, 'zh-CN': '未知的标识：{name}', en: 'Unknown identifier: {name}' },
  CRM_ERR_UNKNOWN_FIELDS: {
    status: 400,
    'zh-CN': '字段不存在或不可写：{names}；可用字段：{allowed}',
    en: 'Unknown or protected fields: {names}; allowed: {allowed}',
  },
  CRM_ERR_BAD_FILTER: {
    status: 400,
    'zh-CN': '筛选条件无效；可用字段：{allowed}',
    en: 'The filter is invalid; allowed fields: {allowed}',
  },
  CRM_ERR_SEARCH_QUERY: {
    status: 400,
    'zh-CN': '请输入 1–{max} 个字符的搜索内容',
    en: 'Enter 1 to {max} characters to search',
  },
  CRM_ERR_UNAUTHENTICATED: { status: 401, 'zh-CN': '请先登录', en: 'Please sign in' },
  CRM_ERR_INVALID_CREDENTIALS: { status: 401, 'zh-CN': '邮箱或密码不正确', en: 'Email or password is incorrect' },
  CRM_ERR_FORBIDDEN: { status: 403, 'zh-CN': '您没有执行此操作的权限', en: 'You are not allowed to do this' },
  CRM_ERR_NOT_FOUND: { status: 404, 'zh-CN': '找不到请求的内容', en: 'Not found' },
  CRM_ERR_DUPLICATE: { status: 409, 'zh-CN': '{name} 已存在', en: '{name} already exists' },
  CRM_ERR_DRAFT_CONFLICT: {
    status: 409,
    'zh-CN': '草稿已被修改（当前版本 {current}），请刷新后重试',
    en: 'The draft has changed (now at {current}); reload and try again',
  },
  CRM_ERR_VERSION_CONFLICT: {
    status: 409,
    'zh-CN': '记录已被他人修改（当前版本 {current}），请刷新后重试',
    en: 'The record was changed by someone else (now version {current}); reload and try again',
  },
  CRM_ERR_ALREADY_CONVERTED: {
    status: 409,
    'zh-CN': '该线索已转化（或已关闭），不能再次转化',
    en: 'This lead is already converted (or closed); it cannot be converted again',
  },
  CRM_ERR_ALREADY_CLAIMED: {
    status: 409,
    'zh-CN': '该记录已不在公海池中（可能刚被他人领取）',
    en: 'This record is no longer in the pool (someone may just have claimed it)',
  },
  CRM_ERR_ALREADY_IN_POOL: {
    status: 409,
    'zh-CN': '该记录已在公海池中',
    en: 'This record is already in the pool',
  },
  CRM_ERR_DELETE_RESTRICTED: {
    status: 409,
    'zh-CN': '还有关联记录引用此记录，不能删除',
    en: 'Other records still refer to this record; it cannot be deleted',
  },
  CRM_ERR_PLAN_STALE: {
    status: 409,
    'zh-CN': '发布计划已过期：草稿或已发布版本在生成计划后发生了变化，请重新生成计划',
    en: 'The plan is stale: the draft or the published revision moved since it was made; plan again',
  },
  CRM_ERR_PUBLISH_BUSY: {
    status: 409,
    'zh-CN': '另一个发布正在进行，请稍后重新生成计划',
    en: 'Another publish is in progress; plan again in a moment',
  },
  CRM_ERR_PAYLOAD_TOO_LARGE: { status: 413, 'zh-CN': '请求内容过大', en: 'Request body is too large' },
  CRM_ERR_EXPORT_TOO_LARGE: {
    status: 413,
    'zh-CN': '要导出的记录有 {count} 条，超过上限 {max} 条；请先筛选缩小范围',
    en: 'The export would hold {count} records, more than the limit of {max}; narrow it with a filter first',
  },
  CRM_ERR_OUTBOUND_REQUEST_TOO_LARGE: {
    status: 413,
    'zh-CN': '要发出的请求内容超过上限 {max} 字节',
    en: 'The outgoing request body is larger than the limit of {max} bytes',
  },
  CRM_ERR_UNSUPPORTED_FILE: {
    status: 415,
    'zh-CN': '不支持的文件类型（只接受图片、PDF、Office 文档、CSV 和文本文件）',
    en: 'Unsupported file type (images, PDF, Office documents, CSV and text only)',
  },
  CRM_ERR_INVALID_DOCUMENT: {
    status: 422,
    'zh-CN': '元数据文档有 {count} 处错误',
    en: 'The metadata document has {count} error(s)',
  },
  CRM_ERR_INVALID_VIEW: {
    status: 422,
    'zh-CN': '视图定义有 {count} 处问题',
    en: 'The view definition has {count} problem(s)',
  },
  CRM_ERR_INVALID_RECORD: {
    status: 422,
    'zh-CN': '记录有 {count} 处问题',
    en: 'The record has {count} problem(s)',
  },
  CRM_ERR_NO_ASSIGNEE: {
    status: 422,
    'zh-CN': '找不到可分配的负责人：{reason}',
    en: 'No one to assign this record to: {reason}',
  },
  CRM_ERR_MENTION_UNREADABLE: {
    status: 422,
    'zh-CN': '{names} 无权查看此记录，不能提及',
    en: '{names} cannot see this record and cannot be mentioned',
  },
  CRM_ERR_PLAN_BLOCKED: {
    status: 422,
    'zh-CN': '此变更会丢失或无法转换现有数据，不能发布',
    en: 'This change would lose or fail to convert existing data; it cannot be published',
  },
  CRM_ERR_SSRF_BLOCKED: {
    status: 422,
    'zh-CN': '不允许访问 {target}：{reason}',
    en: 'Outbound request to {target} refused: {reason}',
  },
  CRM_ERR_PRECONDITION_REQUIRED: {
    status: 428,
    'zh-CN': '缺少 If-Match 请求头',
    en: 'The If-Match header is required',
  },
  CRM_ERR_RATE_LIMITED: { status: 429, 'zh-CN': '请求过于频繁，请稍后再试', en: 'Too many requests; try again later' },
  CRM_ERR_CLAIM_QUOTA: {
    status: 429,
    'zh-CN': '今天已从公海池领取 {limit} 条，达到每日上限，请明天再领',
    en: 'You have claimed {limit} records from the pool today, the daily limit; try again tomorrow',
  },
  CRM_ERR_INTERNAL: { status: 500, 'zh-CN': '服务器内部错误', en: 'Internal server error' },
  CRM_ERR_OUTBOUND_FAILED: {
    status: 502,
    'zh-CN': '无法访问 {target}：{reason}',
    en: 'Could not reach {target}: {reason}',
  },
  CRM_ERR_OUTBOUND_TOO_MANY_REDIRECTS: {
    status: 502,
    'zh-CN': '{target} 重定向超过 {max} 次',
    en: '{target} redirected more than {max} times',
  },
  CRM_ERR_OUTBOUND_RESPONSE_TOO_LARGE: {
    status: 502,
    'zh-CN': '{target} 返回的内容超过上限 {max} 字节',
    en: 'The response from {target} is larger than the limit of {max} bytes',
  },
  CRM_ERR_DB_UNAVAILABLE: {
    status: 503,
    'zh-CN': '数据库暂时不可用，请稍后重试',
    en: 'The database is temporarily unavailable; try again shortly',
  },
  CRM_ERR_OUTBOUND_TIMEOUT: {
    status: 504,
    'zh-CN': '{target} 未在 {ms} 毫秒内完成响应',
    en: '{target} did not answer within {ms} ms',
  },
  // ---- automation triggers (server/src/automation/triggers) ----
  CRM_ERR_WEBHOOK_UNAUTHORIZED: {
    status: 401,
    'zh-CN': '缺少 Webhook 密钥，或密钥无效、已撤销、不属于此自动化',
    en: 'The webhook key is missing, invalid, revoked or not for this automation',
  },
  CRM_ERR_FLOW_NOT_ALLOWED: {
    status: 403,
    'zh-CN': '您的角色不能运行此自动化',
    en: 'Your roles may not run this automation',
  },
} as const satisfies Record<`CRM_ERR_${string}`, CatalogueEntry>;

export type ErrorCode = keyof typeof catalogue;
