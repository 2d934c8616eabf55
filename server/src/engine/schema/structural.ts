/**
 * Validation of CRD schemas by interpretation: the value is walked beside its (converted, structural) schema,
 * with no code generated. ajv compiles a schema into code before its first use, which for the largest CRDs
 * (Argo Workflows: 43,000 lines) takes seconds and hundreds of megabytes; a structural schema is plain enough
 * (types, properties, items, bounds, patterns, enums, and value-only allOf/anyOf/oneOf/not) to be checked
 * directly. Errors have ajv's shape, so schema/messages.ts turns them into findings as it does for ajv's.
 */
import type { ErrorObject, ValidateFunction } from 'ajv';
import { safeRegExp, type SafePattern } from '../util/regex';
import { isJsonObject, type JsonObject } from '../types';
import { createAjv } from './ajv';

type Format = RegExp | ((value: string) => boolean) | { type?: string; validate: RegExp | ((value: never) => boolean) };

let formats: Record<string, Format> | undefined;

/** ajv's own format checks (the same as for the built-in kinds), read from an instance that compiles nothing. */
function formatCheck(name: string): ((value: unknown) => boolean) | undefined {
  formats ??= createAjv().formats as unknown as Record<string, Format>;
  const format = formats[name];
  if (format === undefined) return undefined;
  const test = format instanceof RegExp || typeof format === 'function' ? format : format.validate;
  const type = format instanceof RegExp || typeof format === 'function' ? 'string' : format.type ?? 'string';
  return (value) => typeof value !== type || (test instanceof RegExp ? test.test(value as string) : (test as (v: unknown) => boolean)(value));
}

const patterns = new Map<string, SafePattern | null>();

function pattern(source: string): SafePattern | null {
  let compiled = patterns.get(source);
  if (compiled === undefined) {
    try {
      compiled = safeRegExp(source, 'u');
    } catch {
      // A pattern RE2 cannot run (or one over the length limit) checks nothing, as before.
      compiled = null;
    }
    patterns.set(source, compiled);
  }
  return compiled;
}

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

function hasType(value: unknown, type: string): boolean {
  switch (type) {
    case 'integer': return typeof value === 'number' && Number.isInteger(value);
    case 'number': return typeof value === 'number' && Number.isFinite(value);
    case 'object': return isJsonObject(value);
    default: return typeOf(value) === type;
  }
}

/** Length in code points, as ajv counts it. */
function length(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

function equal(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null || Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) return a.length === (b as unknown[]).length && a.every((x, i) => equal(x, (b as unknown[])[i]));
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k) => Object.hasOwn(b, k) && equal((a as JsonObject)[k], (b as JsonObject)[k]));
}

function escape(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}

class Run {
  readonly errors: ErrorObject[] = [];

  error(keyword: string, instancePath: string, schemaPath: string, parentSchema: JsonObject, data: unknown, params: Record<string, unknown>, message: string): void {
    this.errors.push({ keyword, instancePath, schemaPath: `${schemaPath}/${keyword}`, params, message, parentSchema, schema: parentSchema[keyword], data } as ErrorObject);
  }

  /** Validates `value` against `schema`; false when anything failed (the errors say what). */
  check(schema: JsonObject, value: unknown, path: string, schemaPath: string): boolean {
    const before = this.errors.length;
    const type = schema.type;
    if (type !== undefined) {
      const types = Array.isArray(type) ? type.map(String) : [String(type)];
      if (!types.some((t) => hasType(value, t))) {
        this.error('type', path, schemaPath, schema, value, { type: types.join(',') }, `must be ${types.join(',')}`);
        return false;
      }
    }
    if (schema.enum !== undefined && Array.isArray(schema.enum) && !schema.enum.some((v) => equal(v, value))) {
      this.error('enum', path, schemaPath, schema, value, { allowedValues: schema.enum }, 'must be equal to one of the allowed values');
    }
    if (typeof value === 'string') this.string(schema, value, path, schemaPath);
    else if (typeof value === 'number') this.number(schema, value, path, schemaPath);
    else if (Array.isArray(value)) this.array(schema, value, path, schemaPath);
    else if (isJsonObject(value)) this.object(schema, value, path, schemaPath);
    this.junctions(schema, value, path, schemaPath);
    return this.errors.length === before;
  }

  private string(schema: JsonObject, value: string, path: string, schemaPath: string): void {
    if (typeof schema.format === 'string' && formatCheck(schema.format)?.(value) === false) {
      this.error('format', path, schemaPath, schema, value, { format: schema.format }, `must match format "${schema.format}"`);
    }
    if (typeof schema.minLength === 'number' && length(value) < schema.minLength) {
      this.error('minLength', path, schemaPath, schema, value, { limit: schema.minLength }, `must NOT have fewer than ${schema.minLength} characters`);
    }
    if (typeof schema.maxLength === 'number' && length(value) > schema.maxLength) {
      this.error('maxLength', path, schemaPath, schema, value, { limit: schema.maxLength }, `must NOT have more than ${schema.maxLength} characters`);
    }
    if (typeof schema.pattern === 'string' && pattern(schema.pattern)?.test(value) === false) {
      this.error('pattern', path, schemaPath, schema, value, { pattern: schema.pattern }, `must match pattern "${schema.pattern}"`);
    }
  }

  private number(schema: JsonObject, value: number, path: string, schemaPath: string): void {
    if (typeof schema.format === 'string' && formatCheck(schema.format)?.(value) === false) {
      this.error('format', path, schemaPath, schema, value, { format: schema.format }, `must match format "${schema.format}"`);
    }
    const bound = (keyword: string, comparison: string, fails: (limit: number) => boolean) => {
      const limit = schema[keyword];
      if (typeof limit === 'number' && fails(limit)) this.error(keyword, path, schemaPath, schema, value, { comparison, limit }, `must be ${comparison} ${limit}`);
    };
    bound('maximum', '<=', (l) => value > l);
    bound('minimum', '>=', (l) => value < l);
    bound('exclusiveMaximum', '<', (l) => value >= l);
    bound('exclusiveMinimum', '>', (l) => value <= l);
    if (typeof schema.multipleOf === 'number' && schema.multipleOf > 0) {
      const quotient = value / schema.multipleOf;
      if (Math.abs(Math.round(quotient) - quotient) > 1e-9) {
        this.error('multipleOf', path, schemaPath, schema, value, { multipleOf: schema.multipleOf }, `must be multiple of ${schema.multipleOf}`);
      }
    }
  }

  private array(schema: JsonObject, value: unknown[], path: string, schemaPath: string): void {
    if (typeof schema.maxItems === 'number' && value.length > schema.maxItems) {
      this.error('maxItems', path, schemaPath, schema, value, { limit: schema.maxItems }, `must NOT have more than ${schema.maxItems} items`);
    }
    if (typeof schema.minItems === 'number' && value.length < schema.minItems) {
      this.error('minItems', path, schemaPath, schema, value, { limit: schema.minItems }, `must NOT have fewer than ${schema.minItems} items`);
    }
    if (schema.uniqueItems === true) {
      outer: for (let i = value.length - 1; i > 0; i--) {
        for (let j = i - 1; j >= 0; j--) {
          if (equal(value[i], value[j])) {
            this.error('uniqueItems', path, schemaPath, schema, value, { i, j }, `must NOT have duplicate items (items ## ${j} and ${i} are identical)`);
            break outer;
          }
        }
      }
    }
    if (isJsonObject(schema.items)) value.forEach((item, i) => this.check(schema.items as JsonObject, item, `${path}/${i}`, `${schemaPath}/items`));
  }

  private object(schema: JsonObject, value: JsonObject, path: string, schemaPath: string): void {
    const count = Object.keys(value).length;
    if (typeof schema.maxProperties === 'number' && count > schema.maxProperties) {
      this.error('maxProperties', path, schemaPath, schema, value, { limit: schema.maxProperties }, `must NOT have more than ${schema.maxProperties} properties`);
    }
    if (typeof schema.minProperties === 'number' && count < schema.minProperties) {
      this.error('minProperties', path, schemaPath, schema, value, { limit: schema.minProperties }, `must NOT have fewer than ${schema.minProperties} properties`);
    }
    if (Array.isArray(schema.required)) {
      for (const name of schema.required) {
        if (typeof name === 'string' && !Object.hasOwn(value, name)) {
          this.error('required', path, schemaPath, schema, value, { missingProperty: name }, `must have required property '${name}'`);
        }
      }
    }
    const properties = isJsonObject(schema.properties) ? schema.properties : undefined;
    const additional = schema.additionalProperties;
    for (const key of Object.keys(value)) {
      const child = value[key];
      const at = `${path}/${escape(key)}`;
      const declared = properties !== undefined && Object.hasOwn(properties, key) ? properties[key] : undefined;
      if (isJsonObject(declared)) this.check(declared, child, at, `${schemaPath}/properties/${escape(key)}`);
      else if (declared !== undefined) continue;
      else if (additional === false) {
        this.error('additionalProperties', path, schemaPath, schema, value, { additionalProperty: key }, 'must NOT have additional properties');
      } else if (isJsonObject(additional)) this.check(additional, child, at, `${schemaPath}/additionalProperties`);
    }
  }

  /** allOf, anyOf, oneOf, not: their branches only say whether the value fits; the junction reports. */
  private junctions(schema: JsonObject, value: unknown, path: string, schemaPath: string): void {
    if (Array.isArray(schema.allOf)) {
      schema.allOf.forEach((branch, i) => {
        if (isJsonObject(branch)) this.check(branch, value, path, `${schemaPath}/allOf/${i}`);
      });
    }
    const fits = (branch: unknown) => !isJsonObject(branch) || new Run().check(branch, value, path, schemaPath);
    if (Array.isArray(schema.anyOf) && !schema.anyOf.some(fits)) {
      this.error('anyOf', path, schemaPath, schema, value, {}, 'must match a schema in anyOf');
    }
    if (Array.isArray(schema.oneOf)) {
      const passing = schema.oneOf.flatMap((branch, i) => (fits(branch) ? [i] : []));
      if (passing.length !== 1) {
        this.error('oneOf', path, schemaPath, schema, value, { passingSchemas: passing.length > 1 ? passing : null }, 'must match exactly one schema in oneOf');
      }
    }
    if (isJsonObject(schema.not) && fits(schema.not)) this.error('not', path, schemaPath, schema, value, {}, 'must NOT be valid');
  }
}

/** A validator for a converted structural schema, with ajv's calling convention (`validate(value)`, then `.errors`). */
export function structuralValidator(schema: JsonObject): ValidateFunction {
  const validate = ((value: unknown) => {
    const run = new Run();
    run.check(schema, value, '', '#');
    validate.errors = run.errors.length > 0 ? run.errors : null;
    return run.errors.length === 0;
  }) as ValidateFunction;
  validate.schema = schema;
  return validate;
}
