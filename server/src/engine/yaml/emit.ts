/**
 * Writes JSON values as YAML text for fixes: block style at a given indentation, strings quoted only when a
 * plain scalar would be read differently (go-yaml v2: `yes`, `0755`, `1e3`, `null`, ...).
 */
import { isJsonObject, type JsonValue } from '../types';
import { resolvePlain } from './scalars';

export interface Style {
  /** Spaces per nesting level. */
  step: number;
  /** `key:\n- item` (true) or `key:\n  - item` (false). */
  indentlessSequences: boolean;
  newline: string;
}

const SAFE_PLAIN = /^[A-Za-z0-9_./$][A-Za-z0-9_./$@=+,()-]*(?: [A-Za-z0-9_./$@=+,()-]+)*$/;

export function scalarText(value: JsonValue, quote?: '"' | "'"): string {
  if (value === null) return 'null';
  if (typeof value === 'boolean' || typeof value === 'number') return String(value);
  if (typeof value !== 'string') return JSON.stringify(value);
  if (quote === "'") return `'${value.replace(/'/g, "''")}'`;
  if (quote !== '"' && SAFE_PLAIN.test(value) && resolvePlain(value) === value) return value;
  return JSON.stringify(value);
}

export function keyText(key: string): string {
  return scalarText(key);
}

/** A value written inline (flow style): `{a: 1, b: [x]}`. */
export function flowText(value: JsonValue): string {
  if (Array.isArray(value)) return `[${value.map(flowText).join(', ')}]`;
  if (isJsonObject(value)) return `{${Object.entries(value).map(([k, v]) => `${keyText(k)}: ${flowText(v)}`).join(', ')}}`;
  return scalarText(value);
}

const isEmptyCollection = (v: JsonValue) => (Array.isArray(v) ? v.length === 0 : isJsonObject(v) && Object.keys(v).length === 0);
const isCollection = (v: JsonValue) => (Array.isArray(v) || isJsonObject(v)) && !isEmptyCollection(v);

/**
 * Lines for `key: value` at column `indent` (no trailing newline). A comment goes after the scalar value,
 * or after the key when the value is a collection.
 */
export function entryLines(key: string, value: JsonValue, indent: number, style: Style, comment?: string): string[] {
  const pad = ' '.repeat(indent);
  const note = comment ? `  # ${comment}` : '';
  if (!isCollection(value)) return [`${pad}${keyText(key)}: ${flowText(value)}${note}`];
  return [`${pad}${keyText(key)}:${note}`, ...blockLines(value, Array.isArray(value) && style.indentlessSequences ? indent : indent + style.step, style)];
}

/** Lines of a collection in block style, starting at column `indent`. */
export function blockLines(value: JsonValue, indent: number, style: Style): string[] {
  const pad = ' '.repeat(indent);
  if (Array.isArray(value)) {
    return value.flatMap((item) => {
      if (!isCollection(item)) return [`${pad}- ${flowText(item)}`];
      const inner = blockLines(item, indent + 2, style);
      // The first line of the item goes on the dash line.
      return [`${pad}- ${(inner[0] as string).slice(indent + 2)}`, ...inner.slice(1)];
    });
  }
  if (isJsonObject(value)) return Object.entries(value).flatMap(([k, v]) => entryLines(k, v, indent, style));
  return [`${pad}${flowText(value)}`];
}

/** A whole document (for appended `---` documents). */
export function documentText(value: JsonValue, style: Style, comment?: string): string {
  const lines = [...(comment ? comment.split('\n').map((c) => `# ${c}`) : []), ...blockLines(value, 0, style)];
  return lines.join(style.newline) + style.newline;
}
