import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AttemptCounter, TokenBucket } from './visitor-limits.ts';
import { sniffImage } from './widget-logo.ts';
import { scopeForChoice } from './chat-open.ts';
import type { WidgetStyle } from './webchat.schema.ts';

describe('visitor flood limits', () => {
  it('a token bucket lets a burst through, then the steady rate', () => {
    const b = new TokenBucket(4, 2, 0);
    assert.deepEqual([0, 0, 0, 0, 0].map(() => b.take(0)), [true, true, true, true, false], 'a burst of 4, then refused');
    assert.equal(b.take(400), false, '0.8 of a token after 400 ms');
    assert.equal(b.take(500), true, 'one token after 500 ms at 2/s');
    assert.equal(b.take(500), false);
    assert.deepEqual([0, 0, 0, 0, 0].map(() => b.take(60_000)), [true, true, true, true, false], 'a long pause refills to the burst, not beyond');
  });

  it('connection attempts per key within a sliding window', () => {
    const c = new AttemptCounter(3, 1000);
    assert.deepEqual([0, 100, 200, 300].map((t) => c.allow('1.2.3.4', t)), [true, true, true, false]);
    assert.equal(c.allow('5.6.7.8', 300), true, 'another address has its own count');
    assert.equal(c.allow('1.2.3.4', 1050), false, 'the attempts at 100, 200, 300 (and the refused one) are still within the last second');
    assert.equal(c.allow('1.2.3.4', 2400), true, 'the window passed');
  });

  it('forgets the oldest keys past its size limit', () => {
    const c = new AttemptCounter(1, 60_000, 2);
    c.allow('a', 0);
    c.allow('b', 0);
    c.allow('c', 0);
    assert.equal(c.allow('a', 1), true, '"a" was forgotten, so it starts over');
    assert.equal(c.allow('c', 1), false, '"c" is remembered');
  });
});

describe('logo type from the bytes', () => {
  const cases: Array<[string, Buffer, string | null]> = [
    ['PNG', Buffer.from('89504e470d0a1a0a0000', 'hex'), 'image/png'],
    ['JPEG', Buffer.from('ffd8ffe000104a464946', 'hex'), 'image/jpeg'],
    ['GIF89a', Buffer.from('GIF89a\x01\x00', 'latin1'), 'image/gif'],
    ['GIF87a', Buffer.from('GIF87a\x01\x00', 'latin1'), 'image/gif'],
    ['WebP', Buffer.concat([Buffer.from('RIFF'), Buffer.alloc(4), Buffer.from('WEBPVP8 ')]), 'image/webp'],
    ['SVG', Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"></svg>'), null],
    ['HTML named .png', Buffer.from('<!doctype html><script>'), null],
    ['RIFF that is not WebP (WAV)', Buffer.concat([Buffer.from('RIFF'), Buffer.alloc(4), Buffer.from('WAVEfmt ')]), null],
    ['empty', Buffer.alloc(0), null],
  ];
  for (const [name, bytes, expected] of cases) it(`${name} → ${expected}`, () => assert.equal(sniffImage(bytes), expected));
});

describe('the visitor\'s pick narrows a new chat only to what the style offers', () => {
  const style = { designatedDepartmentIds: ['d1', 'd2'], designatedAgentIds: ['a1'] } as unknown as WidgetStyle;
  const cases: Array<[string, Parameters<typeof scopeForChoice>[1], ReturnType<typeof scopeForChoice>]> = [
    ['a department of the style', { departmentId: 'd2' }, { source: 'designated', departmentIds: ['d2'], agentIds: [] }],
    ['an agent of the style', { agentId: 'a1' }, { source: 'designated', departmentIds: [], agentIds: ['a1'] }],
    ['a department the style does not offer', { departmentId: 'other' }, null],
    ['an agent the style does not offer', { agentId: 'a9' }, null],
    ['no pick', null, null],
  ];
  for (const [name, choice, expected] of cases) it(name, () => assert.deepEqual(scopeForChoice(style, choice), expected));
  it('no style, no narrowing', () => assert.equal(scopeForChoice(null, { departmentId: 'd1' }), null));
});
