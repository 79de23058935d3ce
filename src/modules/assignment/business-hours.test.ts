import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { addBusinessMinutes, isOpen, isValidTimezone, nextOpening, type Calendar } from './business-hours.ts';

// Mon–Fri 09:00–18:00 Shanghai (UTC+8), National Day a holiday; Saturday mornings 10:00–12:00.
const shanghai: Calendar = {
  timezone: 'Asia/Shanghai',
  slots: [1, 2, 3, 4, 5].map((day) => ({ day, open: '09:00', close: '18:00' })).concat([{ day: 6, open: '10:00', close: '12:00' }]),
  holidays: ['2026-10-01'],
};
const utc = (s: string) => new Date(`${s}Z`);

describe('business hours', () => {
  const open: Array<[string, Date, boolean]> = [
    ['Monday 09:00 Shanghai = 01:00 UTC: open', utc('2026-11-23T01:00:00'), true],
    ['Monday 08:59 Shanghai: closed', utc('2026-11-23T00:59:00'), false],
    ['Monday 17:59 Shanghai: open', utc('2026-11-23T09:59:00'), true],
    ['Monday 18:00 Shanghai: closed (close is exclusive)', utc('2026-11-23T10:00:00'), false],
    ['Monday 23:30 Shanghai (15:30 UTC, still Monday in UTC): closed', utc('2026-11-23T15:30:00'), false],
    ['Tuesday 00:30 Shanghai while UTC is still Monday: closed', utc('2026-11-23T16:30:00'), false],
    ['Saturday 11:00 Shanghai: open', utc('2026-11-28T03:00:00'), true],
    ['Saturday 13:00 Shanghai: closed', utc('2026-11-28T05:00:00'), false],
    ['Sunday noon: closed', utc('2026-11-29T04:00:00'), false],
    ['National Day (Thursday) 10:00: holiday', utc('2026-10-01T02:00:00'), false],
  ];
  for (const [name, at, expected] of open) it(name, () => assert.equal(isOpen(shanghai, at), expected));

  it('an empty calendar is always open', () => assert.equal(isOpen({ timezone: 'UTC', slots: [], holidays: [] }, new Date()), true));

  const next: Array<[string, Date, string]> = [
    ['Monday night → Tuesday 09:00 Shanghai', utc('2026-11-23T14:00:00'), '2026-11-24T01:00:00.000Z'],
    ['Saturday afternoon → Monday 09:00 (Sunday closed)', utc('2026-11-28T06:00:00'), '2026-11-30T01:00:00.000Z'],
    ['Friday night → Saturday 10:00', utc('2026-11-27T12:00:00'), '2026-11-28T02:00:00.000Z'],
    ['the eve of National Day → Friday Oct 2 09:00', utc('2026-09-30T12:00:00'), '2026-10-02T01:00:00.000Z'],
    ['already open → now', utc('2026-11-23T02:17:00'), '2026-11-23T02:17:00.000Z'],
    ['at an odd minute before opening → exactly 09:00', utc('2026-11-23T00:47:13'), '2026-11-23T01:00:00.000Z'],
  ];
  for (const [name, from, expected] of next) it(`next opening: ${name}`, () => assert.equal(nextOpening(shanghai, from)?.toISOString(), expected));

  it('a calendar with only holidays never opens', () => {
    assert.equal(nextOpening({ timezone: 'UTC', slots: [{ day: 1, open: '09:00', close: '09:00' }], holidays: [] }, new Date()), null);
  });
  it('time zones are validated', () => {
    assert.equal(isValidTimezone('Asia/Shanghai'), true);
    assert.equal(isValidTimezone('Mars/Olympus'), false);
  });
});

describe('business time (SLA clocks)', () => {
  const table: Array<[string, Date, number, string]> = [
    ['inside hours, fits the day', utc('2026-11-23T02:00:00'), 60, '2026-11-23T03:00:00.000Z'],
    ['spills into the next morning', utc('2026-11-23T09:30:00'), 60, '2026-11-24T01:30:00.000Z'],
    ['starts at night: clock waits for 09:00', utc('2026-11-23T15:00:00'), 30, '2026-11-24T01:30:00.000Z'],
    ['Friday evening → Saturday morning slot', utc('2026-11-27T09:00:00'), 120, '2026-11-28T03:00:00.000Z'],
    ['Saturday slot too short → Monday', utc('2026-11-28T03:30:00'), 60, '2026-11-30T01:30:00.000Z'],
    ['skips National Day', utc('2026-09-30T09:30:00'), 60, '2026-10-02T01:30:00.000Z'],
    ['a full business day (9 h) from Monday 09:00', utc('2026-11-23T01:00:00'), 540, '2026-11-23T10:00:00.000Z'],
    ['zero minutes at night → the opening', utc('2026-11-23T15:00:00'), 0, '2026-11-24T01:00:00.000Z'],
  ];
  for (const [name, start, minutes, expected] of table) it(name, () => assert.equal(addBusinessMinutes(shanghai, start, minutes)?.toISOString(), expected));
  it('24/7 without a calendar', () => assert.equal(addBusinessMinutes(null, utc('2026-11-23T15:00:00'), 90)?.toISOString(), '2026-11-23T16:30:00.000Z'));
  it('across a DST change (New York, 2026-11-01)', () => {
    const ny: Calendar = { timezone: 'America/New_York', slots: [0, 1, 2, 3, 4, 5, 6].map((day) => ({ day, open: '09:00', close: '17:00' })), holidays: [] };
    // Saturday Oct 31 16:00 EDT (20:00Z) + 120 min: 60 min Saturday, 60 min Sunday from 09:00 EST (14:00Z)
    assert.equal(addBusinessMinutes(ny, utc('2026-10-31T20:00:00'), 120)?.toISOString(), '2026-11-01T15:00:00.000Z');
  });
});
