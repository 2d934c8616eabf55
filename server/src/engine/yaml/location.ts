/**
 * Where each key and value of a composed document sits in the text: kept beside each collection (under the LOC
 * symbol) by the composer, read by everything that turns a JSON pointer into a range or an edit.
 */
import type { Span } from '../types';

export const LOC: unique symbol = Symbol('kgov.location');

/**
 * Where one map entry or sequence item sits in the text. keyStart/keyEnd are -1 for sequence items and for keys
 * that came in through a `<<` merge. An empty value has the empty span right after its indicator.
 */
export interface EntryLocation {
  keyStart: number;
  keyEnd: number;
  valueStart: number;
  valueEnd: number;
  /** The value was written as an alias (`*name`) or merged in: deeper findings point here. */
  aliased?: true;
}

export function keySpan(entry: EntryLocation): Span | undefined {
  return entry.keyStart < 0 ? undefined : { start: entry.keyStart, end: entry.keyEnd };
}

export function valueSpan(entry: EntryLocation): Span {
  return { start: entry.valueStart, end: entry.valueEnd };
}

const FIELDS = 5;
const ALIASED = 1;

/**
 * The spans of one collection's entries, stored flat (five numbers per entry) because a manifest has many small
 * collections and one object per entry would double parsing time in garbage collection.
 */
export class CollectionLocation {
  constructor(
    public start: number,
    public end: number,
    /** Map keys in written order, including keys whose value is null (dropped from the value, as the API server does). */
    readonly keys: string[] | undefined,
    readonly spans: number[] = [],
  ) {}

  get size(): number {
    return this.spans.length / FIELDS;
  }

  push(keyStart: number, keyEnd: number, valueStart: number, valueEnd: number, aliased: boolean): void {
    this.spans.push(keyStart, keyEnd, valueStart, valueEnd, aliased ? ALIASED : 0);
  }

  has(key: string): boolean {
    return this.keys?.includes(key) === true;
  }

  at(index: number): EntryLocation | undefined {
    const b = index * FIELDS;
    const s = this.spans;
    if (index < 0 || b >= s.length) return undefined;
    const entry: EntryLocation = { keyStart: s[b] as number, keyEnd: s[b + 1] as number, valueStart: s[b + 2] as number, valueEnd: s[b + 3] as number };
    if (s[b + 4] === ALIASED) entry.aliased = true;
    return entry;
  }

  /** The entry of a map key (its last occurrence wins, as for the value) or of a sequence index. */
  entry(segment: string): EntryLocation | undefined {
    if (this.keys) return this.at(this.keys.lastIndexOf(segment));
    return /^\d+$/.test(segment) ? this.at(Number(segment)) : undefined;
  }
}

export type Located = { [LOC]?: CollectionLocation };

export function locationOf(value: unknown): CollectionLocation | undefined {
  return typeof value === 'object' && value !== null ? (value as Located)[LOC] : undefined;
}

/**
 * A mapping's keys in the order they are written (a JavaScript object puts integer-like keys first). Keys that
 * came in through a `<<` merge have no place of their own and are left out. Values not from the parser: Object.keys.
 */
export function writtenKeys(value: object): string[] {
  const location = locationOf(value);
  if (!location?.keys) return Object.keys(value);
  const { keys, spans } = location;
  return keys.filter((_, index) => (spans[index * FIELDS] ?? -1) >= 0);
}
