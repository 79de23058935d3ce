/**
 * Business-hours calendars: weekly opening hours in a time zone, minus holidays.
 * Pure functions; "now" is always passed in so tests (and SLA later) control time.
 */
export interface WeeklySlot { day: number; open: string; close: string } // day 0 = Sunday … 6; "09:00"–"18:00"
export interface Calendar { timezone: string; slots: WeeklySlot[]; holidays: string[] } // holidays: "2026-10-01"

interface LocalTime { date: string; day: number; minutes: number }

const formatters = new Map<string, Intl.DateTimeFormat>();
function localTime(at: Date, timezone: string): LocalTime {
  let f = formatters.get(timezone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: timezone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', weekday: 'short' });
    formatters.set(timezone, f);
  }
  const p = Object.fromEntries(f.formatToParts(at).map((x) => [x.type, x.value]));
  const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  return { date: `${p.year}-${p.month}-${p.day}`, day: days.indexOf(p.weekday), minutes: Number(p.hour) * 60 + Number(p.minute) };
}

const toMinutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

export function isValidTimezone(tz: string): boolean {
  try { new Intl.DateTimeFormat('en-US', { timeZone: tz }); return true; } catch { return false; }
}

/** Is the calendar open at this instant? An empty calendar means always open. */
export function isOpen(cal: Calendar, at: Date): boolean {
  if (!cal.slots.length) return true;
  const t = localTime(at, cal.timezone);
  if (cal.holidays.includes(t.date)) return false;
  return cal.slots.some((s) => s.day === t.day && t.minutes >= toMinutes(s.open) && t.minutes < toMinutes(s.close));
}

/**
 * The next instant the calendar opens, at or after `from`, or null when it never opens within a
 * year: zero minutes of business time from `from`.
 */
export function nextOpening(cal: Calendar, from: Date): Date | null {
  return isOpen(cal, from) ? from : addBusinessMinutes(cal, from, 0);
}

/** The UTC instant of a local wall-clock time in a time zone (DST-safe: corrected once after a guess). */
function zonedInstant(date: string, minutes: number, timezone: string): Date {
  const [y, m, d] = date.split('-').map(Number);
  const guess = Date.UTC(y, m - 1, d, Math.floor(minutes / 60), minutes % 60);
  const offsetAt = (t: number) => {
    const l = localTime(new Date(t), timezone);
    const [ly, lm, ld] = l.date.split('-').map(Number);
    return Date.UTC(ly, lm - 1, ld, Math.floor(l.minutes / 60), l.minutes % 60) - Math.floor(t / 60_000) * 60_000;
  };
  const first = guess - offsetAt(guess);
  return new Date(guess - offsetAt(first));
}

function nextDate(date: string): string {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10);
}

/** Opening intervals of one local date, as UTC instants, in order. */
function intervalsOn(cal: Calendar, date: string): Array<[number, number]> {
  if (cal.holidays.includes(date)) return [];
  const [y, m, d] = date.split('-').map(Number);
  const day = new Date(Date.UTC(y, m - 1, d)).getUTCDay();
  return cal.slots.filter((s) => s.day === day)
    .map((s) => [zonedInstant(date, toMinutes(s.open), cal.timezone).getTime(), zonedInstant(date, toMinutes(s.close), cal.timezone).getTime()] as [number, number])
    .sort((a, b) => a[0] - b[0]);
}

/**
 * `start` plus `minutes` of business time: the clock only runs while the calendar is open.
 * No calendar (or one without slots) means 24/7. Null when the calendar never opens within a year.
 */
export function addBusinessMinutes(cal: Calendar | null, start: Date, minutes: number): Date | null {
  if (!cal || !cal.slots.length) return new Date(start.getTime() + minutes * 60_000);
  let left = minutes * 60_000;
  let date = localTime(start, cal.timezone).date;
  // Start one day early: a slot of the previous local date can still be running (time zones).
  const [y, m, d] = date.split('-').map(Number);
  date = new Date(Date.UTC(y, m - 1, d - 1)).toISOString().slice(0, 10);
  for (let i = 0; i < 370; i++, date = nextDate(date)) {
    for (const [open, close] of intervalsOn(cal, date)) {
      const from = Math.max(open, start.getTime());
      if (from >= close) continue;
      if (left === 0) return new Date(from);
      if (from + left <= close) return new Date(from + left);
      left -= close - from;
    }
  }
  return null;
}
