/** The events door: the dashboard channel (low volume, persistent seq), agent streams, and their subscribers. */
export { DashboardChannel } from './dashboard-channel.js';
export { AgentEventLog } from './agent-event-log.js';
export { Subscriber, sseFrame, sseFramesOfLines, type CatchUpRead, type Framing, type SubscriberOptions } from './subscriber.js';
