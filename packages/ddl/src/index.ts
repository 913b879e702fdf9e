export type * from './model.js';
export { planSchema, systemColumns, fieldColumns, fieldIndexes } from './plan.js';
export { compileAction, compiler } from './compile.js';
export { probeFor, probesForPlan, type Probe } from './probes.js';
export { conversion, type Conversion } from './conversions.js';
export { describeAction, describeFinding, ddlMessages, findingMessages, actionParams } from './describe.js';
export { assertIdent, indexName } from './names.js';
