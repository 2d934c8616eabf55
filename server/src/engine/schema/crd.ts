/**
 * CustomResourceDefinitions in the input set validate their custom resources: each served version's
 * openAPIV3Schema becomes a strict JSON Schema (unknown fields rejected, as `kubectl apply` does with
 * server-side field validation), compiled on first use.
 */
import type { ValidateFunction } from 'ajv';
import { isJsonObject, type JsonObject, type JsonValue } from '../types';
import { CHECKED_FORMATS } from './ajv';
import { structuralValidator } from './structural';
import { groupOf } from '../k8s/kinds';

export interface CustomKind {
  apiVersion: string;
  kind: string;
  namespaced: boolean;
  served: boolean;
  /** The CRD that defines it. */
  crdName: string;
  source: { uri: string; docIndex: number };
  schema?: JsonObject;
  validate?: ValidateFunction | null;
  /** The CRD enables the status subresource for this version (`status` is then not validated on create or update). */
  statusSubresource?: boolean;
  /** The version is `deprecated: true` in its CRD: its deprecationWarning, or '' when it has none. */
  deprecated?: string;
  /** Where the CRD comes from when not from the workspace ("cert-manager v1.16.2 CRD from kgov's catalog"). */
  origin?: string;
}

const COPIED = ['enum', 'pattern', 'minimum', 'maximum', 'minLength', 'maxLength', 'minItems', 'maxItems', 'uniqueItems',
  'multipleOf', 'minProperties', 'maxProperties', 'required'] as const;

/**
 * Conversions by source node, for subschemas that occur more than once (the catalog stores a repeated subschema
 * once, as one shared object; a pod template in Argo Workflows' CRD occurs dozens of times): each is converted once.
 */
const converted = [new WeakMap<JsonObject, JsonObject>(), new WeakMap<JsonObject, JsonObject>()];

/**
 * Defines `key` as converted on first read: a CRD as large as Argo Workflows' (1.2 MB of schema) is converted only
 * along the paths its resources use. The property stays enumerable, so key lists (unknown-field messages) work.
 */
function lazily(target: JsonObject, key: string, convert: () => JsonObject): void {
  Object.defineProperty(target, key, {
    enumerable: true, configurable: true,
    get: () => {
      const value = convert();
      Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
      return value;
    },
  });
}

/** OpenAPI v3 structural schema -> JSON Schema for ajv. `branch`: inside allOf/anyOf/oneOf/not (value validation only). */
export function convertCrdSchema(schema: JsonValue | undefined, branch = false, root = false): JsonObject {
  if (!isJsonObject(schema)) return {};
  const cache = converted[branch ? 1 : 0] as WeakMap<JsonObject, JsonObject>;
  const known = root ? undefined : cache.get(schema);
  if (known) return known;
  const out: JsonObject = {};
  if (!root) cache.set(schema, out);
  const intOrString = schema['x-kubernetes-int-or-string'] === true;
  const preserve = schema['x-kubernetes-preserve-unknown-fields'] === true;
  if (intOrString) out.type = ['integer', 'string'];
  else if (typeof schema.type === 'string') out.type = schema.nullable === true ? [schema.type, 'null'] : schema.type;
  if (typeof schema.format === 'string' && CHECKED_FORMATS.has(schema.format) && !intOrString) out.format = schema.format;
  for (const key of COPIED) if (schema[key] !== undefined) out[key] = schema[key] as JsonValue;
  // OpenAPI 3.0 writes exclusive bounds as booleans beside minimum/maximum.
  if (schema.exclusiveMinimum === true && typeof schema.minimum === 'number') {
    out.exclusiveMinimum = schema.minimum;
    delete out.minimum;
  }
  if (schema.exclusiveMaximum === true && typeof schema.maximum === 'number') {
    out.exclusiveMaximum = schema.maximum;
    delete out.maximum;
  }
  if (isJsonObject(schema.properties)) {
    const properties: JsonObject = {};
    for (const [name, sub] of Object.entries(schema.properties)) lazily(properties, name, () => convertCrdSchema(sub, branch));
    if (root || schema['x-kubernetes-embedded-resource'] === true) {
      for (const [name, type] of [['apiVersion', 'string'], ['kind', 'string'], ['metadata', 'object']] as const) {
        // defineProperty: the written one may be a lazy accessor, which has no setter.
        if (root || !Object.hasOwn(properties, name)) Object.defineProperty(properties, name, { value: { type }, enumerable: true, writable: true, configurable: true });
      }
    }
    out.properties = properties;
    if (!branch && !preserve && schema.additionalProperties === undefined) out.additionalProperties = false;
  }
  const { additionalProperties, items } = schema;
  if (isJsonObject(additionalProperties)) lazily(out, 'additionalProperties', () => convertCrdSchema(additionalProperties, branch));
  else if (typeof additionalProperties === 'boolean') out.additionalProperties = additionalProperties;
  if (isJsonObject(items)) lazily(out, 'items', () => convertCrdSchema(items, branch));
  for (const junctor of ['allOf', 'anyOf', 'oneOf'] as const) {
    const list = schema[junctor];
    // int-or-string fields also carry `anyOf: [{type: integer}, {type: string}]`, already folded into `type`.
    if (Array.isArray(list) && !intOrString) out[junctor] = list.map((s) => convertCrdSchema(s, true));
  }
  if (isJsonObject(schema.not)) out.not = convertCrdSchema(schema.not, true);
  return out;
}

const NO_KINDS: readonly CustomKind[] = [];

const kindsByCrd = new WeakMap<JsonObject, Map<string, readonly CustomKind[]>>();

/**
 * customKindsOf, the same objects for the same parsed CRD at the same place: an edit elsewhere in its file keeps
 * its kinds (and their validators), so caches keyed on them survive the edit.
 */
export function memoizedKindsOf(crd: JsonObject, source: CustomKind['source']): readonly CustomKind[] {
  let bySource = kindsByCrd.get(crd);
  if (!bySource) kindsByCrd.set(crd, (bySource = new Map()));
  const at = `${source.uri}#${source.docIndex}`;
  let kinds = bySource.get(at);
  if (!kinds) bySource.set(at, (kinds = customKindsOf(crd, source)));
  return kinds;
}

/** The custom kinds one CRD document defines (apiextensions.k8s.io/v1, or the old v1beta1 shape). */
export function customKindsOf(crd: JsonObject, source: CustomKind['source']): CustomKind[] {
  const spec = crd.spec;
  if (!isJsonObject(spec) || typeof spec.group !== 'string' || !isJsonObject(spec.names) || typeof spec.names.kind !== 'string') return [];
  const kind = spec.names.kind;
  const group = spec.group;
  const namespaced = spec.scope !== 'Cluster';
  const crdName = isJsonObject(crd.metadata) && typeof crd.metadata.name === 'string' ? crd.metadata.name : `${spec.names.plural ?? kind}.${group}`;
  const legacySchema = isJsonObject(spec.validation) ? spec.validation.openAPIV3Schema : undefined;
  const versions = Array.isArray(spec.versions)
    ? spec.versions.filter(isJsonObject)
    : typeof spec.version === 'string' ? [{ name: spec.version, served: true }] : [];
  return versions.filter((v) => typeof v.name === 'string').map((v) => {
    const schema = isJsonObject(v.schema) ? v.schema.openAPIV3Schema : legacySchema;
    const custom: CustomKind = {
      apiVersion: `${group}/${String(v.name)}`, kind, namespaced, served: v.served !== false, crdName, source,
    };
    if (isJsonObject(schema)) custom.schema = schema;
    const subresources = isJsonObject(v.subresources) ? v.subresources : isJsonObject(spec.subresources) ? spec.subresources : undefined;
    if (subresources && isJsonObject(subresources.status)) custom.statusSubresource = true;
    if (v.deprecated === true) custom.deprecated = typeof v.deprecationWarning === 'string' ? v.deprecationWarning : '';
    return custom;
  });
}

/**
 * The value as the API server validates it: structural defaults applied first (a missing field whose schema has a
 * `default` gets it), so that `required`, `oneOf` and `not` see what the server sees. Copies only along the paths
 * where a default goes in; returns `value` itself when none does.
 */
export function withDefaults(schema: JsonValue | undefined, value: unknown): unknown {
  if (!isJsonObject(schema)) return value;
  if (Array.isArray(value)) {
    if (!isJsonObject(schema.items)) return value;
    let out: unknown[] | undefined;
    value.forEach((item, i) => {
      const next = withDefaults(schema.items, item);
      if (next !== item) (out ??= [...value])[i] = next;
    });
    return out ?? value;
  }
  if (typeof value !== 'object' || value === null) return value;
  const object = value as Record<string, unknown>;
  let out: Record<string, unknown> | undefined;
  const set = (key: string, next: unknown) => {
    if (next === object[key]) return;
    out ??= { ...object };
    Object.defineProperty(out, key, { value: next, enumerable: true, writable: true, configurable: true });
  };
  const properties = isJsonObject(schema.properties) ? schema.properties : {};
  for (const [name, sub] of Object.entries(properties)) {
    if (!isJsonObject(sub)) continue;
    if (Object.hasOwn(object, name)) set(name, withDefaults(sub, object[name]));
    else if (sub.default !== undefined && sub.default !== null) set(name, withDefaults(sub, structuredClone(sub.default)));
  }
  if (isJsonObject(schema.additionalProperties)) {
    for (const key of Object.keys(object)) if (!Object.hasOwn(properties, key)) set(key, withDefaults(schema.additionalProperties, object[key]));
  }
  return out ?? value;
}

/**
 * Validators by schema object: a CRD whose chunk did not change is the same parsed object after an edit of its
 * file, so its validator survives the edit (the registry itself is rebuilt whenever a file's CRDs change).
 */
const validators = new WeakMap<JsonObject, ValidateFunction>();
let validatorsMade = 0;

/** How many CRD validators were made so far (tests count work with it: an edit must not remake them). */
export function crdValidatorsMade(): number {
  return validatorsMade;
}

/** The validator of a custom kind, or null when its CRD has no schema. Made on first use. */
export function validatorOf(custom: CustomKind): ValidateFunction | null {
  if (custom.validate !== undefined) return custom.validate;
  if (!custom.schema) return (custom.validate = null);
  let validate = validators.get(custom.schema);
  if (!validate) {
    validate = structuralValidator(convertCrdSchema(custom.schema, false, true));
    validatorsMade++;
    validators.set(custom.schema, validate);
  }
  custom.validate = validate;
  return validate;
}

/** The value as the API server validates it (see withDefaults). */
export function defaulted(custom: CustomKind, value: unknown): unknown {
  return withDefaults(custom.schema, value);
}

/** CRDs known to one lint run (the input set, or the editor's workspace). */
export class CrdRegistry {
  private readonly kinds = new Map<string, CustomKind>();

  private readonly byGroupKind = new Map<string, CustomKind[]>();

  add(kinds: readonly CustomKind[]): void {
    for (const custom of kinds) {
      const key = `${custom.apiVersion}/${custom.kind}`;
      // The first definition wins; a later duplicate does not silently change validation.
      if (!this.kinds.has(key)) this.kinds.set(key, custom);
      const groupKind = `${groupOf(custom.apiVersion)}/${custom.kind}`;
      const all = this.byGroupKind.get(groupKind);
      if (all) all.push(custom);
      else this.byGroupKind.set(groupKind, [custom]);
    }
  }

  get size(): number {
    return this.kinds.size;
  }

  lookup(apiVersion: string, kind: string): CustomKind | undefined {
    return this.kinds.get(`${apiVersion}/${kind}`);
  }

  /**
   * Every definition of a group's kind (all versions, in the order they win): all that validating a resource of
   * that kind reads from the registry. Kinds of an unchanged CRD document are the same objects after a rebuild
   * (memoizedKindsOf), so a cache can tell by identity whether a kind's definitions changed.
   */
  definitionsOf(group: string, kind: string): readonly CustomKind[] {
    return this.byGroupKind.get(`${group}/${kind}`) ?? NO_KINDS;
  }

  /** The served versions of a kind that a CRD defines, whatever apiVersion was written (for "not served" messages). */
  definedVersions(group: string, kind: string): CustomKind[] {
    return this.definitionsOf(group, kind).filter((k) => k.served && this.lookup(k.apiVersion, k.kind) === k);
  }

  /** Other versions the same CRD serves (for "not served" messages). */
  versionsOf(crdName: string): string[] {
    return [...this.kinds.values()].filter((k) => k.crdName === crdName && k.served).map((k) => k.apiVersion);
  }


  /** The validator of a custom kind (see validatorOf). */
  validator(custom: CustomKind): ValidateFunction | null {
    return validatorOf(custom);
  }

}
