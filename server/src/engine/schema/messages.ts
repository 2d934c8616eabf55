/** ajv errors -> schema findings people can act on: the path, what is wrong, and the fix. */
import type { ErrorObject } from 'ajv';
import { dottedPath, joinPointer, parsePointer } from '../util/pointer';
import { closest } from '../util/suggest';
import type { Anchor, Fix } from '../types';

export interface SchemaProblem {
  ruleId: string;
  messageId: string;
  message: string;
  /** Pointer inside the document. */
  pointer: string;
  anchor: Anchor;
  data?: Record<string, unknown>;
  fix?: Fix;
}

export interface SchemaMessageContext {
  /** "Deployment", "Certificate (cert-manager.io/v1)". */
  label: string;
  /** Pointer of the validated value inside the document ('' or '/items/3'). */
  base: string;
  /** Whether the key is written in the text at `pointer` (a key with an empty value is dropped from the value). */
  hasKey(pointer: string, key: string): boolean;
  /** The source text of the value at `pointer`, to quote it back (e.g. `yes` read as a boolean). */
  sourceText(pointer: string): string | undefined;
  /**
   * The value at `pointer`. Needed where validators nest (the Kubernetes schemas' lazy `$ref`s): ajv then
   * reports the outer keyword's data as `error.data`. Without it, `error.data` is used.
   */
  value?(pointer: string): unknown;
}

const TYPE_NAMES: Record<string, string> = {
  integer: 'an integer', number: 'a number', string: 'a string', boolean: 'a boolean (true or false)',
  object: 'a mapping', array: 'a list', null: 'empty',
};

function typeName(type: unknown): string {
  const types = (Array.isArray(type) ? type : String(type).split(',')).map(String).filter((t) => t !== 'null');
  if (types.length === 2 && types.includes('string') && types.includes('number')) return 'a quantity (such as 500m or 1Gi)';
  return types.map((t) => TYPE_NAMES[t] ?? t).join(' or ');
}

function describeValue(value: unknown): string {
  if (value === null) return 'empty';
  if (Array.isArray(value)) return 'a list';
  switch (typeof value) {
    case 'string': return `the string ${JSON.stringify(value)}`;
    case 'number': return `the number ${value}`;
    case 'boolean': return `the boolean ${value}`;
    case 'object': return 'a mapping';
    default: return String(value);
  }
}

function at(label: string, pointer: string): string {
  const path = dottedPath(pointer);
  return path === '' ? label : `${label} ${path}`;
}

function typeHint(expected: string, value: unknown, source: string | undefined): string {
  const wantsString = expected.split(',').includes('string');
  if (typeof value === 'string' && /^[-+]?\d+$/.test(value) && (expected === 'integer' || expected === 'number')) return '; remove the quotes';
  if (wantsString && (typeof value === 'boolean' || typeof value === 'number')) {
    const written = source?.trim() ?? String(value);
    const note = typeof value === 'boolean' && written !== String(value) ? ` (YAML reads ${written} as ${value})` : '';
    return `${note}; quote it: "${written.replace(/"/g, '\\"')}"`;
  }
  return '';
}

const FORMAT_HINTS: Record<string, string> = {
  quantity: 'is not a valid quantity (examples: 500m, 2, 1.5Gi, 512Mi)',
  int32: 'is out of range for a 32-bit integer',
  int64: 'is out of range for a 64-bit integer',
  byte: 'must be base64-encoded data (use stringData for plain text)',
  'date-time': 'must be an RFC 3339 date-time such as 2024-01-31T12:00:00Z',
  duration: 'must be a duration such as 30s, 5m or 1h30m',
};

/**
 * Errors inside anyOf/oneOf branches describe alternatives, not faults: the junction reports once for them.
 * (Nested validators apply this to their own errors before handing them up, while their schema paths are theirs.)
 */
export function withoutAlternatives(errors: ErrorObject[]): ErrorObject[] {
  const junctions = errors.filter((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf').map((e) => `${e.schemaPath}/`);
  return junctions.length === 0 ? errors : errors.filter((error) => !junctions.some((prefix) => error.schemaPath.startsWith(prefix)));
}

export function schemaProblems(errors: ErrorObject[], ctx: SchemaMessageContext): SchemaProblem[] {
  const out: SchemaProblem[] = [];
  const seen = new Set<string>();
  for (const error of withoutAlternatives(errors)) {
    const pointer = joinPointer(ctx.base, ...parsePointer(error.instancePath));
    const problem = toProblem(error, pointer, ctx);
    if (!problem) continue;
    const key = `${problem.ruleId}|${problem.pointer}|${problem.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(problem);
  }
  return out;
}

function toProblem(error: ErrorObject, pointer: string, ctx: SchemaMessageContext): SchemaProblem | undefined {
  const params = error.params as Record<string, unknown>;
  const data = ctx.value ? ctx.value(pointer) : error.data;
  switch (error.keyword) {
    case 'additionalProperties': {
      const field = String(params.additionalProperty);
      const known = Object.keys((error.parentSchema as { properties?: object } | undefined)?.properties ?? {});
      const suggestion = closest(field, known);
      const where = dottedPath(pointer) === '' ? `${ctx.label} (top level)` : at(ctx.label, pointer);
      return {
        ruleId: 'schema/unknown-field', messageId: suggestion ? 'unknownFieldSuggest' : 'unknownField',
        message: `Unknown field "${field}" in ${where}${suggestion ? `; did you mean "${suggestion}"?` : '.'}`,
        pointer: joinPointer(pointer, field), anchor: 'key', data: suggestion ? { suggestion, field } : { field },
      };
    }
    case 'required': {
      const field = String(params.missingProperty);
      if (ctx.hasKey(pointer, field)) {
        return {
          ruleId: 'schema/required', messageId: 'requiredEmpty',
          message: `Required field "${field}" in ${at(ctx.label, pointer)} has no value.`,
          pointer: joinPointer(pointer, field), anchor: 'key', data: { field },
        };
      }
      return {
        ruleId: 'schema/required', messageId: 'required',
        message: `${at(ctx.label, pointer)} is missing the required field "${field}"; the API server answers "${dottedPath(joinPointer(pointer, field))}: Required value".`,
        pointer, anchor: 'parentKey', data: { field },
      };
    }
    case 'type': {
      const expected = String(params.type);
      return {
        ruleId: 'schema/type', messageId: 'type',
        message: `${at(ctx.label, pointer)} must be ${typeName(params.type)}, not ${describeValue(data)}${typeHint(expected, data, ctx.sourceText(pointer))}.`,
        pointer, anchor: 'value', data: { expected },
      };
    }
    case 'enum': {
      const allowed = (params.allowedValues as unknown[]) ?? [];
      const suggestion = typeof data === 'string' ? closest(data, allowed.map(String)) : undefined;
      const list = allowed.map((v) => JSON.stringify(v)).join(', ');
      return {
        ruleId: 'schema/enum', messageId: 'enum',
        message: `${at(ctx.label, pointer)} must be one of ${list}, not ${JSON.stringify(data)}${suggestion ? `; did you mean "${suggestion}"?` : '.'}`,
        pointer, anchor: 'value', data: { values: allowed, ...(suggestion ? { suggestion } : {}) },
      };
    }
    case 'format': {
      const format = String(params.format);
      const hint = FORMAT_HINTS[format] ?? `must be a valid ${format}`;
      return {
        ruleId: 'schema/format', messageId: 'format',
        message: `${at(ctx.label, pointer)} ${hint}: ${JSON.stringify(data)}.`,
        pointer, anchor: 'value', data: { format },
      };
    }
    case 'anyOf':
    case 'oneOf': {
      // From parentSchema: `error.schema` is the outer keyword's when validators nest.
      const branches = ((error.parentSchema as Record<string, unknown> | undefined)?.[error.keyword] as Array<Record<string, unknown>> | undefined) ?? [];
      const requiredOnly = branches.every((b) => Array.isArray(b.required) && Object.keys(b).length === 1);
      const fields = requiredOnly ? branches.map((b) => (b.required as string[]).map((f) => `"${f}"`).join(' and ')) : [];
      const described = branches.map((b) => b.description).filter((d): d is string => typeof d === 'string');
      const message = requiredOnly && fields.length > 0
        ? `${at(ctx.label, pointer)} must set ${error.keyword === 'oneOf' ? 'exactly one' : 'one'} of ${fields.join(', ')}.`
        : described.length === branches.length && branches.length > 0
          ? `${at(ctx.label, pointer)} must be ${described.join(', or ')}.`
          : `${at(ctx.label, pointer)} must match ${error.keyword === 'oneOf' ? 'exactly one' : 'at least one'} of ${branches.length} allowed shapes.`;
      return { ruleId: `schema/${error.keyword}`, messageId: error.keyword, message, pointer, anchor: requiredOnly ? 'parentKey' : 'value' };
    }
    case 'allOf':
    case 'if':
      // The errors of the failing subschemas say what is wrong.
      return undefined;
    default:
      return {
        ruleId: `schema/${error.keyword}`, messageId: error.keyword,
        message: `${at(ctx.label, pointer)} ${error.message ?? 'is not valid'}.`,
        pointer, anchor: 'value', data: { ...params },
      };
  }
}
