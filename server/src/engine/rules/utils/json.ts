/** Typed reads of parsed manifest values: a mapping, a list or an integer where the rule expects one. */
import { valueAt } from '../../util/pointer';
import { isJsonObject, type JsonObject, type JsonValue } from '../../types';

/** The value when it is a mapping, else undefined. */
export function asObject(value: unknown): JsonObject | undefined {
  return isJsonObject(value) ? value : undefined;
}

/** The value when it is a list, else []. */
export function asList(value: unknown): JsonValue[] {
  return Array.isArray(value) ? value : [];
}

/** The mapping at `pointer` below `root`, or undefined when it is absent or not a mapping. */
export function objectAt(root: unknown, pointer: string): JsonObject | undefined {
  return asObject(valueAt(root, pointer));
}

/** The list at `pointer` below `root` ([] when absent or not a list). */
export function listAt(root: unknown, pointer: string): JsonValue[] {
  return asList(valueAt(root, pointer));
}

/** A number without a fractional part (what the API server accepts for an int32 or int64 field). */
export function isInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value);
}
