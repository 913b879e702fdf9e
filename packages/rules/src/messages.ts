import type { RuleIssueCode } from './types.js';

/** Messages of the rule issue codes; part of the product's single error catalogue. */
export const ruleMessages: Record<RuleIssueCode, { 'zh-CN': string; en: string }> = {
  RULE_NOT_OBJECT: { 'zh-CN': '条件格式不正确：每个条件必须是只含一个运算符的对象', en: 'Malformed condition: each condition is an object with exactly one operator' },
  RULE_UNKNOWN_OPERATOR: { 'zh-CN': '不支持的运算符 {op}', en: 'Unsupported operator {op}' },
  RULE_UNKNOWN_VAR: { 'zh-CN': '条件引用了不存在的字段 {var}', en: 'The condition refers to an unknown field {var}' },
  RULE_BAD_ARITY: { 'zh-CN': '运算符 {op} 的参数个数不正确', en: 'Operator {op} has the wrong number of arguments' },
  RULE_TYPE_MISMATCH: { 'zh-CN': '条件中的类型不匹配（需要 {expected}）', en: 'Type mismatch in the condition (expected {expected})' },
  RULE_OPERATOR_NOT_FOR_TYPE: { 'zh-CN': '运算符 {op} 不能用于 {type} 类型的字段 {var}', en: 'Operator {op} does not apply to field {var} of type {type}' },
  RULE_BAD_LITERAL: { 'zh-CN': '条件中的值不正确（需要 {expected}）', en: 'Invalid value in the condition (expected {expected})' },
  RULE_UNKNOWN_OPTION: { 'zh-CN': '字段 {var} 没有选项 {option}', en: 'Field {var} has no option {option}' },
  RULE_TOO_DEEP: { 'zh-CN': '条件嵌套过深（最多 {max} 层）', en: 'The condition is nested too deeply (at most {max} levels)' },
  RULE_TOO_LARGE: { 'zh-CN': '条件过大（最多 {max} 字节）', en: 'The condition is too large (at most {max} bytes)' },
};
