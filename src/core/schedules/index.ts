export { Schedules, SCHEDULE_APPROVAL_KIND, type Proposer, type ScheduleProposal } from './schedules.js';
