export type {
  Clock, Row, RecordEvent, RunState, StepDone, StepRecord, StepLog, Effects, RecordsPort, MailPort, NotifyPort, AssignPort, HttpPort, EnginePorts, StepOutcome,
} from './ports.js';
export { type Scope, resolve, resolveValues, render, readVar, escapeHtml, placeholders, durationMs, addDuration } from './scope.js';
export { triggerMatches, matchingFlows, conditionHolds, isLoop, MAX_CHAIN_DEPTH, type MatchContext } from './match.js';
export { executors, StepFailure, type EffectKind, type StepExecutor, type StepEnv } from './steps.js';
export { executeRun, failedStepKey, stepAtKey, DEFAULT_BUDGET, type RunBudget, type RunResult } from './executor.js';
