/**
 * Scalar and key resolution as the API server sees a manifest: kubectl turns YAML into JSON with
 * sigs.k8s.io/yaml, which decodes with go-yaml v2 (YAML 1.1 booleans such as `yes`/`off`, octal `0755`,
 * timestamps kept as strings) and then stringifies non-string map keys.
 */

const BOOLEANS = new Map<string, boolean>([
  ...['y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON'].map((s) => [s, true] as const),
  ...['n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF'].map((s) => [s, false] as const),
]);
const NULLS = new Set(['', '~', 'null', 'Null', 'NULL']);
const SPECIAL_FLOATS = new Map<string, number>([
  ...['.nan', '.NaN', '.NAN'].map((s) => [s, Number.NaN] as const),
  ...['.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF'].map((s) => [s, Number.POSITIVE_INFINITY] as const),
  ...['-.inf', '-.Inf', '-.INF'].map((s) => [s, Number.NEGATIVE_INFINITY] as const),
]);

const YAML_STYLE_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
/** Go's strconv.ParseInt(s, 0, 64) syntax (underscores already removed). */
const GO_INT = /^[-+]?(0[xX][0-9a-fA-F]+|0[bB][01]+|0[oO]?[0-7]+|[1-9][0-9]*|0)$/;

export type Scalar = null | boolean | number | string;

function parseGoInt(text: string): number {
  const negative = text.startsWith('-');
  const digits = text.replace(/^[-+]/, '');
  let value: bigint;
  if (/^0[oO]/.test(digits)) value = BigInt(`0o${digits.slice(2)}`);
  else if (/^0[0-7]+$/.test(digits)) value = BigInt(`0o${digits.slice(1)}`);
  else value = BigInt(digits);
  return Number(negative ? -value : value);
}

/** Resolves an untagged plain scalar the way go-yaml v2 does. */
export function resolvePlain(text: string): Scalar {
  const first = text.charCodeAt(0);
  // Fast exit for the common case: words that cannot be null, bool or number.
  const isDigit = first >= 48 && first <= 57;
  if (!isDigit && first !== 45 && first !== 43 && first !== 46 && text.length > 5) return text;
  if (NULLS.has(text)) return null;
  const bool = BOOLEANS.get(text);
  if (bool !== undefined) return bool;
  const special = SPECIAL_FLOATS.get(text);
  if (special !== undefined) return special;
  if (first === 46) {
    // '.': only a float if Go's ParseFloat accepts it.
    return /^\.[0-9]+([eE][-+]?[0-9]+)?$/.test(text) ? Number(text) : text;
  }
  if (!isDigit && first !== 45 && first !== 43) return text;
  const plain = text.includes('_') ? text.replace(/_/g, '') : text;
  if (GO_INT.test(plain)) return parseGoInt(plain);
  if (YAML_STYLE_FLOAT.test(plain)) return Number(plain);
  return text;
}

/** Resolves a scalar with an explicit tag; unknown (custom) tags leave the text as plain data. */
export function resolveTagged(tag: string, text: string): Scalar {
  const short = tag.startsWith('tag:yaml.org,2002:') ? `!!${tag.slice(18)}` : tag;
  switch (short) {
    case '!!str':
    case '!!binary':
    case '!!timestamp':
      return text;
    case '!!null':
      return null;
    case '!!bool': {
      const bool = BOOLEANS.get(text);
      return bool === undefined ? text : bool;
    }
    case '!!int':
    case '!!float': {
      const value = resolvePlain(text);
      return typeof value === 'number' ? value : text;
    }
    default:
      return text;
  }
}

/** A map key as sigs.k8s.io/yaml writes it into JSON: ints, floats and bools become their text. */
export function keyString(key: Scalar): string | undefined {
  if (typeof key === 'string') return key;
  if (typeof key === 'boolean') return key ? 'true' : 'false';
  if (typeof key === 'number') {
    if (Number.isNaN(key)) return '.nan';
    if (key === Number.POSITIVE_INFINITY) return '.inf';
    if (key === Number.NEGATIVE_INFINITY) return '-.inf';
    return String(key);
  }
  return undefined;
}
