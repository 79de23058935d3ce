import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AppError } from '../../contracts/errors.ts';
import { statsPeriod } from './deflection.service.ts';
import { worthSuggesting } from './kb-public.service.ts';

/** The pure parts of deflection: the period a stats request covers, and which hits are worth suggesting. */
describe('deflection: stats period and suggestion threshold', () => {
  const now = new Date('2026-03-10T15:30:00Z');
  const cases: Array<[string, { from?: string; to?: string }, [string, string] | 'refused']> = [
    ['default: 30 UTC days up to the end of today', {}, ['2026-02-09T00:00:00.000Z', '2026-03-11T00:00:00.000Z']],
    ['only to: 30 days before it', { to: '2026-01-31T00:00:00Z' }, ['2026-01-01T00:00:00.000Z', '2026-01-31T00:00:00.000Z']],
    ['only from: up to the end of today', { from: '2026-03-01T00:00:00Z' }, ['2026-03-01T00:00:00.000Z', '2026-03-11T00:00:00.000Z']],
    ['exactly a year (366 days) is allowed', { from: '2025-01-01T00:00:00Z', to: '2026-01-02T00:00:00Z' }, ['2025-01-01T00:00:00.000Z', '2026-01-02T00:00:00.000Z']],
    ['more than a year', { from: '2025-01-01T00:00:00Z', to: '2026-01-03T00:00:00Z' }, 'refused'],
    ['from after to', { from: '2026-03-02T00:00:00Z', to: '2026-03-01T00:00:00Z' }, 'refused'],
    ['an empty period', { from: '2026-03-01T00:00:00Z', to: '2026-03-01T00:00:00Z' }, 'refused'],
  ];
  for (const [name, q, expected] of cases) {
    it(name, () => {
      if (expected === 'refused') {
        assert.throws(() => statsPeriod(q, now), (e: unknown) => e instanceof AppError && e.statusCode === 400);
        return;
      }
      const { from, to } = statsPeriod(q, now);
      assert.deepEqual([from.toISOString(), to.toISOString()], expected);
    });
  }

  it('suggests hits that cover at least a tenth of the question', () => {
    assert.deepEqual([0, 0.01, 0.09, 0.1, 0.27, 1].map((coverage) => worthSuggesting({ coverage })), [false, false, false, true, true, true]);
  });
});
