/**
 * A small least-recently-used cache (Map keeps insertion order), bounded by its number of entries and, when given
 * a weigher, by their total weight (parse trees grow with their text: a count alone lets a big file being edited
 * keep thousands of versions of itself).
 */
export class Lru<K, V> {
  private readonly map = new Map<K, V>();
  private weight = 0;

  constructor(
    private readonly capacity: number,
    private readonly maxWeight = Number.POSITIVE_INFINITY,
    private readonly weigh: (key: K, value: V) => number = () => 0,
  ) {}

  get(key: K): V | undefined {
    const value = this.map.get(key);
    if (value !== undefined) {
      this.map.delete(key);
      this.map.set(key, value);
    }
    return value;
  }

  set(key: K, value: V): void {
    const old = this.map.get(key);
    if (old !== undefined) {
      this.weight -= this.weigh(key, old);
      this.map.delete(key);
    }
    this.map.set(key, value);
    this.weight += this.weigh(key, value);
    // The newest entry stays, whatever it weighs.
    while (this.map.size > this.capacity || (this.weight > this.maxWeight && this.map.size > 1)) {
      const oldest = this.map.keys().next().value as K;
      this.weight -= this.weigh(oldest, this.map.get(oldest) as V);
      this.map.delete(oldest);
    }
  }

  clear(): void {
    this.map.clear();
    this.weight = 0;
  }

  get size(): number {
    return this.map.size;
  }
}
