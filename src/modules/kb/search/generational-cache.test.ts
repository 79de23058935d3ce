import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { GenerationalCache } from './generational-cache.ts';

describe('generational cache', () => {
  it('keeps at most two generations and keeps what is read', () => {
    const c = new GenerationalCache<string, number>(2);
    c.set('a', 1);
    c.set('b', 2);
    c.set('c', 3); // a and b age
    assert.equal(c.get('a'), 1); // read: young again
    c.set('d', 4); // c and a age, b is dropped
    assert.equal(c.get('b'), undefined);
    assert.equal(c.get('a'), 1);
    assert.equal(c.get('c'), 3);
    assert.equal(c.get('d'), 4);
  });

  it('stays within two generations however many entries went before, forgetting the oldest', () => {
    const c = new GenerationalCache<number, number>(10_000);
    for (let i = 0; i < 200_000; i++) {
      c.set(i, i);
      if (c.size > 20_000) assert.fail(`${c.size} entries kept after ${i + 1} sets`);
    }
    assert.equal(c.size, 20_000);
    assert.equal(c.get(199_999), 199_999);
    assert.equal(c.get(180_000), 180_000);
    assert.equal(c.get(179_999), undefined);
    assert.equal(c.get(0), undefined);
  });
});
