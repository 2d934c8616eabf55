/**
 * The structural-schema interpreter that validates custom resources against ajv as the oracle: for the same
 * converted CRD schema and value, the same errors (keyword and path), except where ajv reports the branches of an
 * anyOf/oneOf (which messages.ts drops anyway) or keeps checking a value whose type is already wrong.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ErrorObject } from 'ajv';
import { createAjv } from '../../server/src/engine/schema/ajv';
import { convertCrdSchema } from '../../server/src/engine/schema/crd';
import { withoutAlternatives } from '../../server/src/engine/schema/messages';
import { structuralValidator } from '../../server/src/engine/schema/structural';
import type { JsonObject } from '../../server/src/engine/types';
import { re2Engine } from '../../server/src/engine/util/regex';

const CRD_SCHEMA: JsonObject = {
  type: 'object',
  properties: {
    spec: {
      type: 'object',
      required: ['name'],
      properties: {
        name: { type: 'string', minLength: 2, maxLength: 5, pattern: '^[a-zé]+$' },
        replicas: { type: 'integer', minimum: 1, maximum: 10, format: 'int32' },
        ratio: { type: 'number', exclusiveMinimum: true, minimum: 0, multipleOf: 0.25 },
        mode: { type: 'string', enum: ['a', 'b'] },
        when: { type: 'string', format: 'date-time' },
        data: { type: 'string', format: 'byte' },
        port: { 'x-kubernetes-int-or-string': true, anyOf: [{ type: 'integer' }, { type: 'string' }] },
        tags: { type: 'array', minItems: 1, maxItems: 3, uniqueItems: true, items: { type: 'string' } },
        labels: { type: 'object', maxProperties: 2, additionalProperties: { type: 'string' } },
        either: { type: 'object', oneOf: [{ required: ['x'] }, { required: ['y'] }], properties: { x: { type: 'string' }, y: { type: 'string' } } },
        some: { type: 'object', anyOf: [{ required: ['x'] }, { required: ['y'] }], properties: { x: { type: 'string' }, y: { type: 'string' } } },
        never: { type: 'object', not: { required: ['z'] }, properties: { z: { type: 'string' } } },
        free: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
        maybe: { type: 'string', nullable: true },
      },
    },
  },
};

const converted = convertCrdSchema(CRD_SCHEMA, false, true);
const ajvValidate = createAjv({ verbose: true, code: { optimize: false, regExp: re2Engine } }).compile(converted);
const interpreted = structuralValidator(converted);

const key = (e: ErrorObject) => `${e.keyword} ${e.instancePath}`;

function errorsOf(value: unknown): { ajv: string[]; structural: string[] } {
  ajvValidate(value);
  interpreted(value);
  // ajv reports inside anyOf/oneOf branches and goes on after a wrong type: neither reaches a finding.
  const ajvErrors = withoutAlternatives(ajvValidate.errors ?? []);
  const typeErrors = new Set(ajvErrors.filter((e) => e.keyword === 'type').map((e) => e.instancePath));
  return {
    ajv: ajvErrors.filter((e) => e.keyword === 'type' || !typeErrors.has(e.instancePath)).map(key).sort(),
    structural: (interpreted.errors ?? []).map(key).sort(),
  };
}

const base = { apiVersion: 'x/v1', kind: 'X', metadata: { name: 'n' } };

describe('structural schemas by interpretation', () => {
  const cases: Record<string, unknown> = {
    valid: { spec: { name: 'abé', replicas: 3, ratio: 0.5, mode: 'a', when: '2024-01-31T12:00:00Z', data: 'aGk=', port: 'http', tags: ['a', 'b'], labels: { a: 'b' }, either: { x: '1' }, some: { y: '1' }, never: {}, free: { anything: [1, { b: 2 }] }, maybe: null } },
    'missing required': { spec: {} },
    'unknown fields': { spec: { name: 'ab', nmae: 'x' }, extra: 1 },
    'wrong types': { spec: { name: 5, replicas: '3', tags: 'a', labels: [], mode: 3 } },
    'string bounds and pattern': { spec: { name: 'a' } },
    'string too long, wrong pattern': { spec: { name: 'ABCDEFG' } },
    'number bounds': { spec: { name: 'ab', replicas: 0, ratio: 0 } },
    'number above, not a multiple': { spec: { name: 'ab', replicas: 11, ratio: 0.3 } },
    'int32 range': { spec: { name: 'ab', replicas: 4_294_967_296 } },
    'enum, formats': { spec: { name: 'ab', mode: 'c', when: 'yesterday', data: '***' } },
    'array bounds and duplicates': { spec: { name: 'ab', tags: [] } },
    'array too long, duplicates, item type': { spec: { name: 'ab', tags: ['a', 'a', 1, 'b'] } },
    'map bounds and value types': { spec: { name: 'ab', labels: { a: '1', b: 2, c: '3' } } },
    'oneOf none and both': { spec: { name: 'ab', either: {} } },
    'oneOf both': { spec: { name: 'ab', either: { x: '1', y: '2' } } },
    'anyOf none': { spec: { name: 'ab', some: {} } },
    'not': { spec: { name: 'ab', never: { z: '1' } } },
    'int-or-string': { spec: { name: 'ab', port: true } },
  };
  for (const [name, spec] of Object.entries(cases)) {
    it(name, () => {
      const { ajv, structural } = errorsOf({ ...base, ...(spec as object) });
      assert.deepEqual(structural, ajv);
      if (name !== 'valid') assert.ok(structural.length > 0, 'the case fails validation');
    });
  }

  it('compiles nothing: a validator is ready at once, whatever the schema size', () => {
    let schema: JsonObject = { type: 'string' };
    for (let i = 0; i < 5000; i++) schema = { type: 'object', properties: { [`f${i}`]: schema, [`g${i}`]: { type: 'integer' } } };
    const validate = structuralValidator(schema);
    assert.equal(validate({ f4999: { g4998: 1 } }), true);
    assert.equal(validate({ f4999: { g4998: 'x' } }), false);
  });
});
