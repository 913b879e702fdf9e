export { live, useLiveChanges, useLiveRecord, useLiveState, useLiveTick } from './use-live.js';
export { LiveStatus } from './live-status.js';
export { ChangedNotice } from './changed-notice.js';
export { NOTIFICATIONS_TOPIC } from './live-client.js';
export type { LiveIds, LiveState } from './live-client.js';
