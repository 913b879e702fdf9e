export { compileRule, compileNode, RuleCompileError, type RuleTarget, type VarTarget } from './rule-to-sql.js';
export { compileList, compileCount, keysetPredicate, searchPredicate, pinyinLetters, likeLiteral, encodeCursor, decodeCursor, ident, type ListSpec, type SortKey } from './records.js';
export { compileFormula, FormulaCompileError } from './formula-to-sql.js';
