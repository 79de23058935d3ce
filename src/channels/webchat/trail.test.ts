import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildTrail, cleanPageUrl, currentPage, EMPTY_TRAIL, isReturningVisitor, recordPageEvent, secondsOnPage, touchVisit, type PageEvent, type Trail } from './trail.ts';

const S = 1000;
const HOME = 'https://shop.example.com/';
const ITEM = 'https://shop.example.com/item/42';
const CART = 'https://shop.example.com/cart';
const enter = (url: string, at: number, title = ''): PageEvent => ({ type: 'enter', url, title, at });
const ping = (url: string, at: number): PageEvent => ({ type: 'ping', url, at });
const leave = (url: string, at: number): PageEvent => ({ type: 'leave', url, at });
/** [url, seconds on it, still open] for each page. */
const summary = (t: Trail) => t.pages.map((p) => [p.url, secondsOnPage(p), p.leftAt === null] as const);

describe('buildTrail', () => {
  const cases: Array<[string, PageEvent[], ReturnType<typeof summary>]> = [
    ['enter and leave', [enter(HOME, 0), leave(HOME, 42 * S)], [[HOME, 42, false]]],
    ['the next page closes the previous one when its leave never came', [enter(HOME, 0), enter(ITEM, 30 * S), enter(CART, 95 * S)], [[HOME, 30, false], [ITEM, 65, false], [CART, 0, true]]],
    ['an open page counts until the last heartbeat', [enter(HOME, 0), ping(HOME, 15 * S), ping(HOME, 30 * S)], [[HOME, 30, true]]],
    ['a reload is a new page view', [enter(HOME, 0), enter(HOME, 5 * S), leave(HOME, 8 * S)], [[HOME, 5, false], [HOME, 3, false]]],
    ['a late heartbeat for an earlier page is ignored', [enter(HOME, 0), enter(ITEM, 10 * S), ping(HOME, 20 * S), leave(ITEM, 25 * S)], [[HOME, 10, false], [ITEM, 15, false]]],
    ['a heartbeat after leaving does not reopen the page', [enter(HOME, 0), leave(HOME, 10 * S), ping(HOME, 20 * S)], [[HOME, 10, false]]],
    ['leave before enter is ignored', [leave(HOME, 0), enter(HOME, 1 * S)], [[HOME, 0, true]]],
    ['a heartbeat going back in time is ignored', [enter(HOME, 10 * S), ping(HOME, 30 * S), ping(HOME, 20 * S)], [[HOME, 20, true]]],
    ['a skewed clock never makes negative time or reorders pages', [enter(HOME, 50 * S), enter(ITEM, 40 * S), leave(ITEM, 60 * S)], [[HOME, 0, false], [ITEM, 10, false]]],
    ['javascript: and data: URLs never enter the trail', [enter('javascript:alert(1)', 0), enter('data:text/html,<b>x</b>', 1), enter(HOME, 2 * S)], [[HOME, 0, true]]],
    ['a NaN time is ignored', [enter(HOME, Number.NaN), enter(ITEM, 0)], [[ITEM, 0, true]]],
  ];
  for (const [name, events, expected] of cases) it(name, () => assert.deepEqual(summary(buildTrail(events)), expected));

  it('keeps the latest pages and counts the dropped ones', () => {
    const events = Array.from({ length: 8 }, (_v, i) => enter(`${HOME}p/${i}`, i * S));
    const t = buildTrail(events, 3);
    assert.deepEqual(t.pages.map((p) => p.url), [`${HOME}p/5`, `${HOME}p/6`, `${HOME}p/7`]);
    assert.equal(t.dropped, 5);
    assert.equal(secondsOnPage(t.pages[0]), 1);
  });

  it('titles are one plain line of at most 200 characters', () => {
    const t = buildTrail([enter(HOME, 0, `  首页\n\t<b>商城</b>${'长'.repeat(300)}`)]);
    assert.ok(t.pages[0].title.startsWith('首页 <b>商城</b>')); // kept as text; the console never renders it as HTML
    assert.equal(t.pages[0].title.length, 200);
  });

  it('does not change the trail it was given', () => {
    const t = buildTrail([enter(HOME, 0)]);
    const copy = structuredClone(t);
    recordPageEvent(t, enter(ITEM, 5 * S));
    recordPageEvent(t, leave(HOME, 5 * S));
    assert.deepEqual(t, copy);
    assert.deepEqual(EMPTY_TRAIL, { pages: [], dropped: 0 });
  });

  it('currentPage is the open last page', () => {
    assert.equal(currentPage(buildTrail([enter(HOME, 0), enter(ITEM, 1)]))?.url, ITEM);
    assert.equal(currentPage(buildTrail([enter(HOME, 0), leave(HOME, 1)])), null);
    assert.equal(currentPage(EMPTY_TRAIL), null);
  });
});

describe('cleanPageUrl', () => {
  const cases: Array<[string, string | null]> = [
    [HOME, HOME], ['https://shop.example.com/a?b=1#c', 'https://shop.example.com/a?b=1#c'], ['  http://x.test/ ', 'http://x.test/'],
    ['https://user:pw@x.test/private', 'https://x.test/private'],
    ['javascript:alert(1)', null], ['JavaScript:alert(1)', null], ['data:text/html,x', null], ['file:///etc/passwd', null], ['/relative', null], ['', null],
    [`https://x.test/${'a'.repeat(3000)}`, null],
  ];
  for (const [input, out] of cases) it(`${input.slice(0, 40)} → ${out?.slice(0, 40)}`, () => assert.equal(cleanPageUrl(input), out));
});

describe('touchVisit / isReturningVisitor', () => {
  const MIN = 60 * S;
  it('a first contact is a new visitor on their first visit', () => {
    const v = touchVisit(null, 0);
    assert.deepEqual(v, { visits: 1, lastActiveAt: 0, newVisit: true });
    assert.equal(isReturningVisitor(v), false);
    assert.equal(isReturningVisitor(null), false);
  });
  it('activity within 30 minutes continues the visit', () => {
    const v = touchVisit({ visits: 1, lastActiveAt: 0 }, 29 * MIN);
    assert.deepEqual(v, { visits: 1, lastActiveAt: 29 * MIN, newVisit: false });
    assert.equal(isReturningVisitor(v), false);
  });
  it('after 30 idle minutes it is a new visit, and the visitor is returning', () => {
    const v = touchVisit({ visits: 1, lastActiveAt: 0 }, 30 * MIN);
    assert.deepEqual(v, { visits: 2, lastActiveAt: 30 * MIN, newVisit: true });
    assert.equal(isReturningVisitor(v), true);
  });
  it('a custom idle time, and a clock going back never moves lastActiveAt back', () => {
    assert.equal(touchVisit({ visits: 3, lastActiveAt: 0 }, 5 * MIN, 5 * MIN).visits, 4);
    assert.deepEqual(touchVisit({ visits: 3, lastActiveAt: 10 * MIN }, 9 * MIN), { visits: 3, lastActiveAt: 10 * MIN, newVisit: false });
  });
});
