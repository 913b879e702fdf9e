import { ID_PATTERN, KEY_PATTERN, stepConfigs, type StepKind } from '@crm/metadata';

/**
 * A step's config panel, generated from its kind's config schema
 * (`stepConfigs[kind]`, JSON Schema from TypeBox): the shape of each property
 * picks its control, so a new kind or a new setting gets one without a
 * hand-written form. Properties that name other things (a team, an activity
 * type, a flow) get a picker through the small `PICKERS` table.
 *
 *   controlsForStep('delay') -> [{ name: 'for', kind: 'duration', required: true }]
 */
export type ConfigControl =
  | { name: string; kind: 'template'; multiline: boolean; maxLength?: number; required: boolean }
  | { name: string; kind: 'choice'; choices: string[]; required: boolean }
  | { name: string; kind: 'integer'; min?: number; max?: number; required: boolean }
  | { name: string; kind: 'fields' | 'boolean' | 'duration' | 'label' | 'rule' | 'entity' | 'field' | 'values' | 'headers' | 'recipients' | 'recipient' | 'value' | 'recordRef' | 'member' | 'memberMap' | 'team' | 'activityType' | 'flow'; required: boolean };

export type ControlKind = ConfigControl['kind'];

interface JsonSchema {
  type?: string; enum?: string[]; minimum?: number; maximum?: number; pattern?: string; format?: string; maxLength?: number;
  items?: JsonSchema; properties?: Record<string, JsonSchema>; patternProperties?: Record<string, JsonSchema>; required?: string[];
  anyOf?: JsonSchema[]; additionalProperties?: boolean | JsonSchema;
}

/** Properties whose meaning the schema cannot tell (a free string that names a team, not a template). */
const PICKERS: { [K in StepKind]?: Record<string, ControlKind> } = {
  assign_owner: { team: 'team' },
  create_activity: { activityType: 'activityType' },
};

const MULTILINE: ReadonlySet<string> = new Set(['body', 'notes']);

const isValueExpr = (s: JsonSchema | undefined): boolean => !!s?.anyOf?.some((x) => x.required?.includes('now'));
const isRecipient = (s: JsonSchema | undefined): boolean => !!s?.anyOf?.some((x) => x.enum?.includes('owner'));

function controlKind(s: JsonSchema): ControlKind {
  if (s.enum) return 'choice';
  if (isValueExpr(s)) return 'value';
  if (isRecipient(s)) return 'recipient';
  if (s.type === 'array' && isRecipient(s.items)) return 'recipients';
  if (s.type === 'array' && s.items?.pattern === KEY_PATTERN) return 'fields';
  if (s.type === 'boolean') return 'boolean';
  if (s.type === 'integer' || s.type === 'number') return 'integer';
  if (s.type === 'object') {
    const props = Object.keys(s.properties ?? {});
    const each = s.patternProperties ? Object.values(s.patternProperties)[0] : undefined;
    if (each) return isValueExpr(each) ? 'values' : each.format === 'uuid' ? 'memberMap' : 'headers';
    if (props.includes('amount') && props.includes('unit')) return 'duration';
    if (props.includes('zh-CN')) return 'label';
    if (props.length === 1 && props[0] === 'var') return 'recordRef';
    return 'rule';
  }
  if (s.format === 'uuid') return 'member';
  if (s.pattern === KEY_PATTERN) return 'entity';
  if (s.pattern === ID_PATTERN) return 'flow';
  return 'template';
}

/** The controls of a kind's config, in the schema's property order. */
export function controlsForStep(kind: StepKind): ConfigControl[] {
  const schema = stepConfigs[kind] as unknown as JsonSchema;
  const required = new Set(schema.required ?? []);
  return Object.entries(schema.properties ?? {}).map(([name, s]): ConfigControl => {
    const req = required.has(name);
    let k = PICKERS[kind]?.[name] ?? controlKind(s);
    // A key that is not the entity names a field (of the step's entity, else the trigger's).
    if (k === 'entity' && name !== 'entity') k = 'field';
    // Long texts and the ones named like long texts (a body, notes) get several lines.
    if (k === 'template') return { name, kind: k, multiline: (s.maxLength ?? 0) > 2000 || MULTILINE.has(name), maxLength: s.maxLength, required: req };
    if (k === 'choice') return { name, kind: k, choices: s.enum ?? [], required: req };
    if (k === 'integer') return { name, kind: k, min: s.minimum, max: s.maximum, required: req };
    return { name, kind: k, required: req };
  });
}

/** Settings that only apply in some configurations (a team for round robin, a map for field mapping). */
const SHOWN_WHEN: { [K in StepKind]?: Record<string, (c: Record<string, unknown>) => boolean> } = {
  assign_owner: {
    team: (c) => c.strategy !== 'field_map',
    map: (c) => c.strategy === 'field_map',
    fallback: (c) => c.strategy === 'field_map',
  },
  http_request: { body: (c) => c.method !== 'GET' && c.method !== 'DELETE', sign: (c) => c.method !== 'GET' && c.method !== 'DELETE' },
};

/** The controls shown for a config as it is now. */
export const visibleControls = (kind: StepKind, config: Record<string, unknown>): ConfigControl[] =>
  controlsForStep(kind).filter((c) => SHOWN_WHEN[kind]?.[c.name]?.(config) ?? true);

/** Setting names per kind and property (a name shared by kinds, like `entity`, is written once under `*`). */
export const CONFIG_LABELS: Record<string, [string, string]> = {
  '*.entity': ['对象', 'Entity'], '*.values': ['字段值', 'Field values'], '*.rule': ['条件', 'Condition'], '*.notes': ['备注', 'Notes'],
  '*.reason': ['原因（记入记录历史）', 'Reason (kept in the record history)'], '*.to': ['收件人', 'Recipients'], '*.body': ['正文', 'Body'],
  'update_record.record': ['要更新的记录', 'Record to update'],
  'create_task.title': ['任务标题', 'Task title'], 'create_task.assignee': ['执行人', 'Assignee'], 'create_task.due': ['截止（从现在起）', 'Due (from now)'],
  'create_activity.activityType': ['活动类型', 'Activity type'], 'create_activity.subject': ['主题', 'Subject'],
  'assign_owner.strategy': ['分配方式', 'Strategy'], 'assign_owner.team': ['团队', 'Team'], 'assign_owner.field': ['按字段（轮流时：按字段值选子团队）', 'By field (round robin: picks the sub-team by its value)'],
  'assign_owner.map': ['字段值 → 负责人', 'Value → owner'], 'assign_owner.fallback': ['未匹配时分配给', 'When nothing matches'],
  'send_email.subject': ['邮件主题', 'Subject'], 'notify.title': ['通知标题', 'Title'],
  'http_request.method': ['方法', 'Method'], 'http_request.url': ['地址', 'URL'], 'http_request.headers': ['请求头', 'Headers'],
  'http_request.body': ['JSON 内容', 'JSON body'], 'http_request.sign': ['用工作区密钥签名（X-CRM-Signature）', 'Sign with the workspace secret (X-CRM-Signature)'],
  'find_duplicate.fields': ['按这些字段查重', 'Match on'], 'find_duplicate.openOnly': ['只与未关闭的记录比较', 'Only against open records'],
  'find_duplicate.link': ['找到时写入关联字段', 'Link the duplicate in'], 'find_duplicate.onFound': ['找到重复时', 'When one is found'],
  'delay.for': ['等待时长', 'Wait for'], 'wait_until.at': ['等到', 'Until'], 'wait_for.timeout': ['最长等待', 'Time out after'],
  'loop.field': ['指向触发记录的关联字段', 'Relation to the trigger record'], 'loop.filter': ['只处理满足条件的记录', 'Only records that match'],
  'loop.max': ['最多处理条数', 'At most'], 'call_flow.flow': ['要启动的自动化', 'Flow to start'],
};

export const configLabel = (kind: StepKind, name: string): [string, string] | undefined => CONFIG_LABELS[`${kind}.${name}`] ?? CONFIG_LABELS[`*.${name}`];

/** Names of enum choices. */
export const CHOICE_LABELS: Record<string, [string, string]> = {
  round_robin: ['团队内轮流', 'Round robin in a team'], least_loaded: ['分给未结记录最少的人', 'Least open records'], field_map: ['按字段值对应', 'By a field value'],
  GET: ['GET', 'GET'], POST: ['POST', 'POST'], PUT: ['PUT', 'PUT'], PATCH: ['PATCH', 'PATCH'], DELETE: ['DELETE', 'DELETE'],
  stop: ['停止执行', 'Stop the run'], continue: ['继续后续步骤', 'Go on with the next steps'],
  minutes: ['分钟', 'minutes'], hours: ['小时', 'hours'], days: ['天', 'days'],
};
