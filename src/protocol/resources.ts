/**
 * Per-agent resources: what an agent's processes (its harness, the turn's
 * claude and what that started) take, as the core samples them from /proc
 * under the `process` backend.
 */
import { z } from 'zod';

/** One agent's latest sample. */
export const ResourceSample = z.looseObject({
  name: z.string(),
  /** The harness's pid. */
  pid: z.number().int(),
  /** CPU time of the harness and its descendants over the last sample period, in percent of one core (may pass 100). */
  cpu_percent: z.number(),
  /** Resident memory of the harness and its descendants, summed (pages shared between them count once per process). */
  rss_bytes: z.number().int(),
  /** Processes counted: the harness and its live descendants. */
  processes: z.number().int(),
  /** When the sample was taken, unix seconds. */
  sampled_at: z.number(),
  /** Highest CPU and RSS sampled in the running turn (absent between turns). */
  turn_peak_cpu_percent: z.number().optional(),
  turn_peak_rss_bytes: z.number().int().optional(),
});
export type ResourceSample = z.infer<typeof ResourceSample>;

/** Keys of a turn's stats row that only the core fills in: it measures them, the harness cannot claim them. */
export const CORE_MEASURED_TURN_KEYS: readonly string[] = ['peak_cpu_percent', 'peak_rss_bytes'];
