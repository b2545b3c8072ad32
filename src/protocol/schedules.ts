/**
 * Scheduled prompts: "send this prompt to agent X every weekday at 09:00".
 * Proposed by an agent or the operator as a `schedule_prompt` approval; once
 * approved the core delivers the prompt into the target's inbox (sender
 * `schedule`) at each slot of its cron expression or interval.
 */
import { z } from 'zod';

/** Shortest interval between two deliveries of one schedule (cron's resolution is a minute, too). */
export const MIN_SCHEDULE_INTERVAL_SECONDS = 60;
/** Longest interval: a year. */
export const MAX_SCHEDULE_INTERVAL_SECONDS = 366 * 24 * 3600;
/** Most schedules one agent may be the target of, proposed, active or paused. */
export const MAX_SCHEDULES_PER_AGENT = 20;
/** Largest prompt a schedule carries, in bytes. */
export const MAX_SCHEDULE_PROMPT_BYTES = 16 * 1024;
/** Most missed slots a `catch_up` schedule delivers after the core was down; older ones are counted as missed. */
export const MAX_CATCH_UP_SLOTS = 24;

/** `proposed` (its approval is pending), `active`, `paused`, `ended` (denied, deleted, or its target is gone; `note` says which). */
export const ScheduleState = z.enum(['proposed', 'active', 'paused', 'ended']);
export type ScheduleState = z.infer<typeof ScheduleState>;

/** One schedule as the wire carries it. Times are unix seconds. */
export const Schedule = z.looseObject({
  id: z.number().int(),
  /** The agent whose inbox gets the prompt. */
  target: z.string(),
  prompt: z.string(),
  /** A five-field cron expression (minute hour day-of-month month day-of-week), or absent for an interval. */
  cron: z.string().optional(),
  /** Seconds between deliveries, counted from the moment the schedule was approved; absent for cron. */
  every_seconds: z.number().int().optional(),
  /** IANA time zone the cron expression is read in. */
  tz: z.string(),
  /** Deliver every slot missed while the core was down (at most 24), instead of one for all of them. */
  catch_up: z.boolean(),
  state: ScheduleState,
  /** The `schedule_prompt` approval that decided it. */
  approval_id: z.number().int(),
  /** An agent's name, or the operator's actor. */
  proposed_by: z.string(),
  proposed_at: z.number(),
  /** The next slot (active schedules only). */
  next_due_at: z.number().optional(),
  last_fired_at: z.number().optional(),
  /** Deliveries made. */
  fired: z.number().int(),
  /** Slots passed over: missed while the core was down (without `catch_up`, or past the 24 a catch-up delivers), or refused delivery. */
  missed: z.number().int(),
  /** Who paused it (paused only). */
  paused_by: z.string().optional(),
  ended_at: z.number().optional(),
  /** Why it ended, or what went wrong with its last delivery. */
  note: z.string().optional(),
});
export type Schedule = z.infer<typeof Schedule>;

const prompt = z.string().min(1).refine((s) => Buffer.byteLength(s, 'utf8') <= MAX_SCHEDULE_PROMPT_BYTES, {
  message: `prompt is larger than ${MAX_SCHEDULE_PROMPT_BYTES / 1024} KiB`,
});

/** What a `schedule_prompt` request says about when: a cron expression or an interval, a zone, catch-up. */
export const scheduleRequestFields = {
  prompt,
  cron: z.string().min(1).max(200).optional(),
  every_seconds: z.number().int().min(MIN_SCHEDULE_INTERVAL_SECONDS).max(MAX_SCHEDULE_INTERVAL_SECONDS).optional(),
  tz: z.string().min(1).max(64).optional(),
  catch_up: z.boolean().optional(),
};
