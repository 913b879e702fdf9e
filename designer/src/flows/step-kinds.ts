import type { StepKind } from '@crm/metadata';

export type PaletteGroup = 'logic' | 'record' | 'message' | 'timing';

export interface StepKindInfo {
  name: [zh: string, en: string];
  description: [zh: string, en: string];
  icon: string;
  /** Accent of the card (left border) and the palette chip. */
  color: string;
  group: PaletteGroup;
}

/** How people see each step kind: exhaustive, so a new kind in the metadata does not compile without its name here. */
export const STEP_INFO: Record<StepKind, StepKindInfo> = {
  condition: { name: ['条件判断', 'Condition'], description: ['条件不满足时停止执行', 'Stops the run unless the condition holds'], icon: '?', color: '#7c3aed', group: 'logic' },
  branch: { name: ['分支', 'Branch'], description: ['按条件走不同的分支，第一个满足的分支执行', 'Takes the first branch whose condition holds'], icon: '⋔', color: '#7c3aed', group: 'logic' },
  loop: { name: ['循环', 'Loop'], description: ['对每条相关记录执行一遍循环体', 'Runs its body once per related record'], icon: '↻', color: '#7c3aed', group: 'logic' },
  call_flow: { name: ['调用自动化', 'Call flow'], description: ['启动另一个自动化', 'Starts another flow'], icon: '↗', color: '#7c3aed', group: 'logic' },
  update_record: { name: ['更新记录', 'Update record'], description: ['修改触发记录或前面步骤得到的记录', 'Changes the trigger record or one from an earlier step'], icon: '✎', color: '#1d4ed8', group: 'record' },
  create_record: { name: ['新建记录', 'Create record'], description: ['在任意对象中新建一条记录', 'Creates a record of any entity'], icon: '+', color: '#1d4ed8', group: 'record' },
  create_task: { name: ['创建任务', 'Create task'], description: ['创建关联到记录的待办任务', 'A to-do linked to the record'], icon: '☑', color: '#1d4ed8', group: 'record' },
  create_activity: { name: ['记录活动', 'Log activity'], description: ['在记录的时间线上记一条活动', 'Logs an activity on the record'], icon: '✐', color: '#1d4ed8', group: 'record' },
  assign_owner: { name: ['分配负责人', 'Assign owner'], description: ['轮流、按负载或按字段分配', 'Round robin, least loaded or by a field'], icon: '☺', color: '#1d4ed8', group: 'record' },
  find_duplicate: { name: ['查重', 'Find duplicate'], description: ['按电话、邮箱等找出重复记录', 'Finds another record with the same phone, email ...'], icon: '❐', color: '#1d4ed8', group: 'record' },
  move_to_pool: { name: ['退回公海', 'Move to pool'], description: ['把记录放回公海池', 'Puts the record back into the pool'], icon: '⤓', color: '#1d4ed8', group: 'record' },
  send_email: { name: ['发送邮件', 'Send email'], description: ['给负责人、成员或任意邮箱发邮件', 'Mails owners, members or any address'], icon: '✉', color: '#0891b2', group: 'message' },
  notify: { name: ['站内通知', 'Notify'], description: ['给成员发送站内通知', 'Sends members an in-app notification'], icon: '◎', color: '#0891b2', group: 'message' },
  http_request: { name: ['HTTP 请求', 'HTTP request'], description: ['调用外部系统（Webhook）', 'Calls another system (webhook)'], icon: '⇄', color: '#0891b2', group: 'message' },
  delay: { name: ['延迟', 'Delay'], description: ['等待一段时间后继续', 'Waits a while, then goes on'], icon: '◷', color: '#b45309', group: 'timing' },
  wait_until: { name: ['等到某时', 'Wait until'], description: ['等到某个日期时间再继续', 'Waits until a date and time'], icon: '◔', color: '#b45309', group: 'timing' },
  wait_for: { name: ['等待条件', 'Wait for'], description: ['等到条件满足或超时', 'Waits until a condition holds or times out'], icon: '‖', color: '#b45309', group: 'timing' },
};

export const PALETTE_GROUPS: [PaletteGroup, string, string][] = [
  ['record', '记录', 'Records'], ['message', '消息与集成', 'Messages'], ['logic', '逻辑', 'Logic'], ['timing', '等待', 'Timing'],
];
