/** Label selectors (matchLabels + matchExpressions, or a Service's plain map) and how to describe them. */
import { isJsonObject, type JsonValue } from '../types';

export interface Selector {
  matchLabels: Record<string, string>;
  matchExpressions: Array<{ key: string; operator: string; values: string[] }>;
}

/** Reads a LabelSelector object (`{matchLabels, matchExpressions}`) or a plain map (`Service.spec.selector`). */
export function parseSelector(value: JsonValue | undefined, plainMap = false): Selector | undefined {
  if (!isJsonObject(value)) return undefined;
  const strings = (v: JsonValue | undefined): Record<string, string> => {
    const out: Record<string, string> = {};
    if (isJsonObject(v)) for (const [k, x] of Object.entries(v)) if (typeof x === 'string' || typeof x === 'number' || typeof x === 'boolean') out[k] = String(x);
    return out;
  };
  if (plainMap) return { matchLabels: strings(value), matchExpressions: [] };
  const expressions = Array.isArray(value.matchExpressions) ? value.matchExpressions.filter(isJsonObject).map((e) => ({
    key: String(e.key ?? ''), operator: String(e.operator ?? ''), values: Array.isArray(e.values) ? e.values.map(String) : [],
  })) : [];
  return { matchLabels: strings(value.matchLabels), matchExpressions: expressions };
}

/** An empty selector: selects everything (LabelSelector) — callers decide what that means for them. */
export function isEmptySelector(selector: Selector): boolean {
  return Object.keys(selector.matchLabels).length === 0 && selector.matchExpressions.length === 0;
}

export function matches(selector: Selector, labels: Record<string, string>): boolean {
  for (const [k, v] of Object.entries(selector.matchLabels)) if (labels[k] !== v) return false;
  for (const e of selector.matchExpressions) {
    const has = Object.hasOwn(labels, e.key);
    const value = labels[e.key];
    switch (e.operator) {
      case 'In': if (!has || !e.values.includes(value as string)) return false; break;
      case 'NotIn': if (has && e.values.includes(value as string)) return false; break;
      case 'Exists': if (!has) return false; break;
      case 'DoesNotExist': if (has) return false; break;
      default: return false;
    }
  }
  return true;
}

/** "app=web,tier!=cache" — how a selector reads in messages. */
export function describeSelector(selector: Selector): string {
  const parts = Object.entries(selector.matchLabels).map(([k, v]) => `${k}=${v}`);
  for (const e of selector.matchExpressions) {
    if (e.operator === 'Exists') parts.push(e.key);
    else if (e.operator === 'DoesNotExist') parts.push(`!${e.key}`);
    else parts.push(`${e.key} ${e.operator === 'In' ? 'in' : 'notin'} (${e.values.join(',')})`);
  }
  return parts.join(',') || '(everything)';
}

/** How many of the selector's matchLabels a label set shares: for "closest" hints in messages. */
export function overlap(selector: Selector, labels: Record<string, string>): number {
  return Object.entries(selector.matchLabels).filter(([k, v]) => labels[k] === v).length
    + Object.keys(selector.matchLabels).filter((k) => Object.hasOwn(labels, k)).length / 10;
}
