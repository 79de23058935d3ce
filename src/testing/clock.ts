/**
 * Injected clocks in tests must stay ahead of the real one (timers they set are not due until the test
 * fires them), so they are built from today instead of written as dates that one day lie in the past.
 */

/** 00:00 UTC of a Monday at least `weeks` weeks from now (the same Monday for the whole test run). */
export function mondayAhead(weeks = 8): Date {
  const day = new Date(Date.now() + weeks * 7 * 86_400_000);
  day.setUTCHours(0, 0, 0, 0);
  day.setUTCDate(day.getUTCDate() + ((8 - day.getUTCDay()) % 7)); // forward to Monday (getUTCDay: 0 = Sunday)
  return day;
}

/** `base` plus hours (fractions allowed). */
export const plusHours = (base: Date, hours: number): Date => new Date(base.getTime() + hours * 3_600_000);
