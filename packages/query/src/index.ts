export { compileRule, compileNode, RuleCompileError, type RuleTarget, type VarTarget } from './rule-to-sql.js';
