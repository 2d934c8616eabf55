/** The engine's caches: bounded by entries and, with a weigher, by total weight. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Lru } from '../../server/src/engine/util/lru';

describe('lru', () => {
  it('drops the least recently used entry past its capacity', () => {
    const lru = new Lru<string, number>(2);
    lru.set('a', 1);
    lru.set('b', 2);
    assert.equal(lru.get('a'), 1);
    lru.set('c', 3);
    assert.deepEqual([lru.get('a'), lru.get('b'), lru.get('c')], [1, undefined, 3]);
  });

  it('drops the oldest entries past its weight, keeping the newest whatever it weighs (a big file being edited)', () => {
    const lru = new Lru<string, number>(4096, 1000, (text) => text.length);
    for (let i = 0; i < 50; i++) lru.set(`${i}`.padEnd(300, 'x'), i);
    assert.equal(lru.size, 3, 'three 300-character texts fit in 1,000');
    assert.equal(lru.get('49'.padEnd(300, 'x')), 49);
    lru.set('y'.repeat(5000), -1);
    assert.equal(lru.size, 1);
    assert.equal(lru.get('y'.repeat(5000)), -1);
    // Replacing an entry does not count its old weight twice.
    lru.clear();
    for (let i = 0; i < 10; i++) lru.set('z'.repeat(400), i);
    lru.set('w'.repeat(400), 0);
    assert.equal(lru.size, 2);
  });
});
