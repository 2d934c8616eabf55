/**
 * A minimal custom resource that its structural schema accepts: every required field (and `spec`, even when it
 * is optional, so that a typo test has a place to go), with the smallest value each constraint allows. For catalog
 * kinds that no upstream sample covers; a sample the schema itself produced proves the catalog's pipeline (loading,
 * shared subschemas, defaults, structural validation), not the schema, so upstream samples come first.
 */
type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Schema = Record<string, unknown>;

const isSchema = (v: unknown): v is Schema => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Strings tried in turn against a `pattern` (a pattern none of them matches makes the kind unsynthesizable). */
const CANDIDATES = ['example', 'a', 'Example', 'example-1', '1', '10', '1s', '10s', '1m', '1Gi', '100m', 'a.b', 'example.com', 'a/b',
  'http://example.com', 'https://example.com', 'v1', '1.0.0', 'v1.0.0', '0.0.0.0/0', '10.0.0.0/8', '127.0.0.1', '::1', 'A', 'AB', 'a1',
  'example:latest', '*', 'a=b', 'a:b', '0', '00:00', '1h', 'None', 'true', 'x', '* * * * *', '@daily', 'oci://example.com/a'];

const FORMATS: Record<string, string> = {
  'date-time': '2024-01-01T00:00:00Z', date: '2024-01-01', uri: 'https://example.com', url: 'https://example.com', email: 'a@example.com',
  hostname: 'example.com', ipv4: '10.0.0.1', ipv6: '::1', cidr: '10.0.0.0/8', uuid: '00000000-0000-0000-0000-000000000000',
  byte: 'ZXhhbXBsZQ==', duration: '1s', int32: '1', int64: '1', quantity: '1',
};

export class Unsynthesizable extends Error {}

function string(schema: Schema, path: string): string {
  if (typeof schema.format === 'string' && FORMATS[schema.format]) return FORMATS[schema.format] as string;
  const min = typeof schema.minLength === 'number' ? schema.minLength : 0;
  const max = typeof schema.maxLength === 'number' ? schema.maxLength : Infinity;
  const fits = (s: string) => s.length >= min && s.length <= max;
  if (typeof schema.pattern === 'string') {
    const pattern = new RegExp(schema.pattern, 'u');
    const found = CANDIDATES.find((c) => pattern.test(c) && fits(c)) ?? CANDIDATES.map((c) => c.padEnd(min, 'a')).find((c) => pattern.test(c) && fits(c));
    if (found === undefined) throw new Unsynthesizable(`${path}: no candidate matches /${schema.pattern}/`);
    return found;
  }
  return 'example'.padEnd(min, 'a').slice(0, Math.max(min, Math.min(7, max)));
}

function number(schema: Schema, integer: boolean): number {
  let value = typeof schema.minimum === 'number' ? schema.minimum + (schema.exclusiveMinimum === true ? (integer ? 1 : 0.5) : 0) : 1;
  if (typeof schema.maximum === 'number' && value > schema.maximum) value = schema.maximum - (schema.exclusiveMaximum === true ? 1 : 0);
  if (typeof schema.multipleOf === 'number') value = Math.ceil(value / schema.multipleOf) * schema.multipleOf;
  return integer ? Math.ceil(value) : value;
}

/** The required properties of an object schema, with those of the first branch of its oneOf/anyOf. */
function requiredOf(schema: Schema): string[] {
  const own = Array.isArray(schema.required) ? (schema.required as string[]) : [];
  const branch = [schema.oneOf, schema.anyOf].find(Array.isArray)?.[0];
  return [...new Set([...own, ...(isSchema(branch) && Array.isArray(branch.required) ? (branch.required as string[]) : [])])];
}

export function synthesize(schema: unknown, path = '', depth = 0): Json {
  if (!isSchema(schema)) return {};
  if (depth > 40) throw new Unsynthesizable(`${path}: too deep`);
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return schema.enum.find((v) => v !== null) as Json ?? null;
  if (schema['x-kubernetes-int-or-string'] === true) return typeof schema.pattern === 'string' ? string(schema, path) : number(schema, true);
  switch (schema.type) {
    case 'string': return string(schema, path);
    case 'integer': return number(schema, true);
    case 'number': return number(schema, false);
    case 'boolean': return false;
    case 'array': {
      const count = typeof schema.minItems === 'number' ? schema.minItems : 0;
      if (count > 1 && schema.uniqueItems === true) throw new Unsynthesizable(`${path}: ${count} unique items`);
      return Array.from({ length: count }, (_, i) => synthesize(schema.items, `${path}[${i}]`, depth + 1));
    }
    default: {
      const properties = isSchema(schema.properties) ? schema.properties : {};
      const out: { [key: string]: Json } = {};
      for (const name of requiredOf(schema)) {
        out[name] = name in properties ? synthesize(properties[name], `${path}.${name}`, depth + 1)
          : isSchema(schema.additionalProperties) ? synthesize(schema.additionalProperties, `${path}.${name}`, depth + 1) : 'example';
      }
      const minProperties = typeof schema.minProperties === 'number' ? schema.minProperties : 0;
      for (const name of Object.keys(properties)) {
        if (Object.keys(out).length >= minProperties) break;
        out[name] ??= synthesize(properties[name], `${path}.${name}`, depth + 1);
      }
      if (Object.keys(out).length < minProperties && isSchema(schema.additionalProperties)) {
        for (let i = 0; Object.keys(out).length < minProperties; i++) out[`key${i}`] = synthesize(schema.additionalProperties, `${path}.key${i}`, depth + 1);
      }
      return out;
    }
  }
}

/** A custom resource of the kind: the schema's required fields, a name, and `spec` when the schema has one. */
export function synthesizeResource(schema: unknown, apiVersion: string, kind: string, namespaced: boolean): { [key: string]: Json } {
  const body = synthesize(schema) as { [key: string]: Json };
  const properties = isSchema(schema) && isSchema(schema.properties) ? schema.properties : {};
  if (body.spec === undefined && isSchema(properties.spec)) body.spec = synthesize(properties.spec, '.spec', 1);
  delete body.status;
  return {
    apiVersion, kind,
    metadata: { name: 'example', ...(namespaced ? { namespace: 'default' } : {}) },
    ...Object.fromEntries(Object.entries(body).filter(([k]) => !['apiVersion', 'kind', 'metadata'].includes(k))),
  };
}
