// Schemas of fields several kinds of record share: times, process stamps, applied configurations.
import { z } from "zod";
import type { ProcessStamp } from "../process-identity.js";

/** A point in time as dstack writes it (`toISOString()`); anything Date.parse reads is accepted. */
export const isoTime = z.string().refine((s) => !Number.isNaN(Date.parse(s)), "expected an ISO date-time");

export const processStampSchema = z.object({
  pid: z.number().int(),
  host: z.string(),
  start: z.number().nullable(),
}) satisfies z.ZodType<ProcessStamp>;

/** A normalized configuration as applied (secrets redacted): compared, never interpreted here. */
export const appliedSpec = z.record(z.string(), z.unknown());
