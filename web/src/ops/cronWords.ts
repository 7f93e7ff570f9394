/**
 * A cron pattern (UTC, 5 fields, or 6 with seconds first) in words for the ops console: "every 5 minutes",
 * "every hour at :15", "every day at 03:00 UTC", "every Monday at 04:30 UTC". Patterns outside these shapes
 * come back as they are (the operator still sees the exact schedule).
 */
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const two = (n: number): string => String(n).padStart(2, '0');
const num = (field: string): number | null => (/^\d{1,2}$/.test(field) ? Number(field) : null);

export function cronInWords(pattern: string): string {
  const fields = pattern.trim().split(/\s+/);
  if (fields.length === 6 && fields[0] === '0') fields.shift(); // seconds at 0 say nothing more
  if (fields.length !== 5) return pattern;
  const [minute, hour, dayOfMonth, month, dayOfWeek] = fields as [string, string, string, string, string];
  if (dayOfMonth !== '*' || month !== '*') return pattern;
  const m = num(minute);
  const h = num(hour);
  const step = /^\*\/(\d{1,2})$/.exec(minute);
  const day = num(dayOfWeek);
  if (dayOfWeek === '*' && hour === '*') {
    if (minute === '*') return 'every minute';
    if (step) return `every ${step[1]} minutes`;
    if (m !== null) return `every hour at :${two(m)}`;
  }
  if (m === null || h === null || h > 23 || m > 59) return pattern;
  if (dayOfWeek === '*') return `every day at ${two(h)}:${two(m)} UTC`;
  if (day !== null && day <= 7) return `every ${DAYS[day % 7]} at ${two(h)}:${two(m)} UTC`;
  return pattern;
}
