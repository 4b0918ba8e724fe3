// Cron expressions of `schedule.cron`, checked the way dstack checks them: it hands each one to
// APScheduler 3's CronTrigger.from_crontab, which wants exactly five fields (minute hour day month
// day_of_week, no @macros) of `*`, `a`, `a-b`, each optionally `/step`, comma-separated; month and
// weekday also by name (jan, mon-fri), and day also `last`.
import { fail, ok, type Parsed } from "./result.js";

interface Field {
  name: string;
  min: number;
  max: number;
  names?: readonly string[];
}

const MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
const WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

const FIELDS: readonly Field[] = [
  { name: "minute", min: 0, max: 59 },
  { name: "hour", min: 0, max: 23 },
  { name: "day", min: 1, max: 31 },
  { name: "month", min: 1, max: 12, names: MONTHS },
  { name: "day of week", min: 0, max: 6, names: WEEKDAYS },
];

const HINT = 'five fields, minute hour day month day-of-week, e.g. "0 8 * * mon-fri" (UTC)';
const PART = /^(\*|[a-z0-9]+(?:-[a-z0-9]+)?)(?:\/(\d+))?$/;

export function parseCron(text: string): Parsed<string> {
  const fields = text.trim().split(/\s+/);
  if (fields.length !== 5 || fields[0] === "")
    return fail(
      `"${text}" has ${fields[0] === "" ? 0 : fields.length} fields, a cron expression has 5`,
      HINT,
    );
  for (const [i, value] of fields.entries()) {
    const problem = checkField(value.toLowerCase(), FIELDS[i]!);
    if (problem !== undefined) return fail(`"${text}": ${FIELDS[i]!.name} ${problem}`, HINT);
  }
  return ok(text.trim());
}

function checkField(value: string, field: Field): string | undefined {
  for (const part of value.split(",")) {
    if (field.name === "day" && part === "last") continue;
    const match = PART.exec(part);
    if (match === null) return `"${part}" is not *, a number, a range a-b, or one of them with /step`;
    const [, range, step] = match;
    let lo = field.min;
    let hi = field.max;
    if (range !== "*") {
      const [first, last] = range!.split("-");
      const a = valueOf(first!, field);
      const b = last === undefined ? (step === undefined ? a : field.max) : valueOf(last, field);
      if (a === undefined || b === undefined)
        return `"${part}" is out of range: ${field.min}..${field.max}${field.names ? ` or ${field.names[0]}..${field.names.at(-1)}` : ""}`;
      if (a > b) return `"${part}": the range starts after it ends`;
      [lo, hi] = [a, b];
    }
    if (step !== undefined) {
      const n = Number(step);
      if (n < 1) return `"${part}": the step must be at least 1`;
      if (n > hi - lo) return `"${part}": the step ${n} is longer than the range ${lo}..${hi}`;
    }
  }
  return undefined;
}

function valueOf(token: string, field: Field): number | undefined {
  if (/^\d+$/.test(token)) {
    const n = Number(token);
    return n >= field.min && n <= field.max ? n : undefined;
  }
  const index = field.names?.indexOf(token) ?? -1;
  if (index < 0) return undefined;
  return field.names === MONTHS ? index + 1 : index;
}
