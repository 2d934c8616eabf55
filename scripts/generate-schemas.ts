/**
 * Turns the official Kubernetes OpenAPI v2 documents (../shared/k8s-openapi/v1.NN/swagger.json) into the
 * compact, strict JSON Schemas kgov validates with (schemas/kubernetes/). Run: npm run schemas.
 *
 * Output (all committed, so building and running never need ../shared):
 *   index.json         versions, served kinds per version, list kinds, known group versions, and for every
 *                      definition which variant each version uses
 *   definitions.json   { name: [variant, ...] } strict JSON Schemas (no prose), shared between versions
 *   descriptions.json  { name: [{ "": type doc, field: field doc }, ...] } for hover, shared the same way
 *
 * The `required` lists leave out the fields the API server accepts absent (scripts/required-not-enforced.ts).
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { REQUIRED_NOT_ENFORCED } from './required-not-enforced';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

interface Swagger {
  definitions: Record<string, JsonObject>;
  paths: Record<string, Record<string, JsonObject>>;
}

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const sharedDir = resolve(process.env.KGOV_SHARED ?? join(repoRoot, '..', 'shared'), 'k8s-openapi');
const outDir = resolve(process.env.KGOV_SCHEMAS_OUT ?? join(repoRoot, 'schemas', 'kubernetes'));

export const VERSIONS = ['1.28', '1.29', '1.30', '1.31', '1.32', '1.33', '1.34', '1.35', '1.36'];
const DEFAULT_VERSION = '1.34';

/** Where each version's enum lists come from: its own file if it has them, else the nearest one that does. */
const ENUM_SOURCES: Record<string, string> = { '1.34': 'v1.34/with-enums/swagger.json', '1.35': 'v1.35/swagger.json', '1.36': 'v1.36/swagger.json' };

/** Definitions whose OpenAPI form under-describes what the API server accepts. */
const SPECIAL_DEFINITIONS: Record<string, JsonObject> = {
  'io.k8s.apimachinery.pkg.util.intstr.IntOrString': { type: ['integer', 'string'] },
  // Quantities are written as strings ("500m", "1Gi") or plain numbers (cpu: 1).
  'io.k8s.apimachinery.pkg.api.resource.Quantity': { type: ['string', 'number'], format: 'quantity' },
  'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSON': {},
  'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaPropsOrArray': {},
  'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaPropsOrBool': {},
  'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaPropsOrStringArray': {},
  'io.k8s.apimachinery.pkg.runtime.RawExtension': { type: 'object' },
  'io.k8s.apimachinery.pkg.apis.meta.v1.FieldsV1': { type: 'object' },
};

const KEPT_FORMATS = new Set(['int32', 'int64', 'double', 'byte', 'date-time']);

function readSwagger(relative: string): Swagger {
  return JSON.parse(readFileSync(join(sharedDir, relative), 'utf8')) as Swagger;
}

function isObject(value: Json | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** enum lists by definition and field ("ports[]" for the items of an array field). */
type EnumIndex = Map<string, Map<string, Json[]>>;

function collectEnums(spec: Swagger): EnumIndex {
  const index: EnumIndex = new Map();
  for (const [name, def] of Object.entries(spec.definitions)) {
    const props = def.properties;
    if (!isObject(props)) continue;
    for (const [field, schema] of Object.entries(props)) {
      if (!isObject(schema)) continue;
      const add = (key: string, values: Json | undefined) => {
        if (!Array.isArray(values)) return;
        let fields = index.get(name);
        if (!fields) index.set(name, (fields = new Map()));
        fields.set(key, values);
      };
      add(field, schema.enum);
      if (isObject(schema.items)) add(`${field}[]`, schema.items.enum);
    }
  }
  return index;
}

/** Converts one OpenAPI schema into a strict JSON Schema; `enums` are this definition's enum lists. */
function convert(schema: JsonObject, enums: Map<string, Json[]> | undefined, field?: string): JsonObject {
  if (typeof schema.$ref === 'string') return { $ref: schema.$ref };
  const out: JsonObject = {};
  if (schema.format === 'int-or-string') {
    out.type = ['integer', 'string'];
  } else if (schema.type !== undefined) {
    out.type = schema.type;
  }
  if (typeof schema.format === 'string' && KEPT_FORMATS.has(schema.format)) out.format = schema.format;
  const enumValues = schema.enum ?? (field !== undefined ? enums?.get(field) : undefined);
  if (Array.isArray(enumValues) && (out.type === 'string' || out.type === undefined)) out.enum = enumValues;
  if (isObject(schema.properties)) {
    const props: JsonObject = {};
    for (const [name, sub] of Object.entries(schema.properties)) {
      if (isObject(sub)) props[name] = convert(sub, field === undefined ? enums : undefined, field === undefined ? name : undefined);
    }
    out.properties = props;
    if (schema.additionalProperties === undefined && schema['x-kubernetes-preserve-unknown-fields'] !== true) {
      out.additionalProperties = false;
    }
  }
  if (Array.isArray(schema.required) && schema.required.length > 0) out.required = schema.required;
  if (isObject(schema.additionalProperties)) out.additionalProperties = convert(schema.additionalProperties, undefined);
  else if (typeof schema.additionalProperties === 'boolean') out.additionalProperties = schema.additionalProperties;
  if (isObject(schema.items)) {
    out.items = convert(schema.items, undefined);
    const itemEnum = field !== undefined ? enums?.get(`${field}[]`) : undefined;
    const items = out.items;
    if (itemEnum && isObject(items) && items.type === 'string' && items.enum === undefined) items.enum = itemEnum;
  }
  return out;
}

/** Minor version number of "1.34". */
const minor = (version: string): number => Number(version.split('.')[1]);

/**
 * Removes from a converted definition the required fields the API server does not enforce
 * (scripts/required-not-enforced.ts), and records which entries applied so stale ones can be reported.
 */
function dropUnenforcedRequired(name: string, version: string, schema: JsonObject, used: Set<string>): JsonObject {
  const entries = REQUIRED_NOT_ENFORCED[name];
  if (!entries || !Array.isArray(schema.required)) return schema;
  const drop = new Set(entries.filter((e) => e.since === undefined || minor(version) >= minor(e.since)).map((e) => e.field));
  const required = schema.required.filter((field) => {
    if (typeof field !== 'string' || !drop.has(field)) return true;
    used.add(`${name} ${field}`);
    return false;
  });
  if (required.length === schema.required.length) return schema;
  const out: JsonObject = { ...schema };
  if (required.length > 0) out.required = required;
  else delete out.required;
  return out;
}

function describe(def: JsonObject): JsonObject {
  const doc: JsonObject = {};
  if (typeof def.description === 'string') doc[''] = def.description;
  if (isObject(def.properties)) {
    for (const [name, sub] of Object.entries(def.properties)) {
      if (isObject(sub) && typeof sub.description === 'string') doc[name] = sub.description;
    }
  }
  return doc;
}

/** A stable JSON text (sorted keys) so identical schemas from different versions share one variant. */
function canonical(value: Json): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (isObject(value)) {
    return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonical(value[k] as Json)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

class VariantStore {
  readonly variants = new Map<string, Json[]>();
  private readonly hashes = new Map<string, Map<string, number>>();
  /** Returns the index of `value` among `name`'s variants, adding it when new. */
  intern(name: string, value: Json): number {
    const hash = createHash('sha1').update(canonical(value)).digest('base64');
    let byHash = this.hashes.get(name);
    if (!byHash) this.hashes.set(name, (byHash = new Map()));
    const known = byHash.get(hash);
    if (known !== undefined) return known;
    let list = this.variants.get(name);
    if (!list) this.variants.set(name, (list = []));
    list.push(value);
    byHash.set(hash, list.length - 1);
    return list.length - 1;
  }
  sortedObject(): JsonObject {
    const out: JsonObject = {};
    for (const name of [...this.variants.keys()].sort()) out[name] = this.variants.get(name) as Json[];
    return out;
  }
}

interface ServedKind {
  group: string;
  version: string;
  kind: string;
  definition: string;
  namespaced: boolean;
  /** The `<Kind>List` definition, when the API defines one. */
  listDefinition?: string;
}

/** A served resource collection: /api/v1/pods, /apis/apps/v1/namespaces/{namespace}/deployments (no subresources). */
const COLLECTION_PATH = /^\/(?:api|apis\/[^/]+)\/[^/]+\/(namespaces\/\{namespace\}\/)?[a-z0-9]+$/;

function servedKinds(spec: Swagger): ServedKind[] {
  const byKey = new Map<string, ServedKind>();
  const definitionsByGvk = new Map<string, string>();
  for (const [name, def] of Object.entries(spec.definitions)) {
    const gvks = def['x-kubernetes-group-version-kind'];
    if (!Array.isArray(gvks) || gvks.length !== 1 || !isObject(gvks[0])) continue;
    const { group, version, kind } = gvks[0] as { group: string; version: string; kind: string };
    definitionsByGvk.set(`${group}/${version}/${kind}`, name);
  }
  for (const [path, operations] of Object.entries(spec.paths)) {
    const match = COLLECTION_PATH.exec(path);
    if (!match) continue;
    for (const operation of Object.values(operations)) {
      const gvk = isObject(operation) ? operation['x-kubernetes-group-version-kind'] : undefined;
      if (!isObject(gvk)) continue;
      const { group, version, kind } = gvk as { group: string; version: string; kind: string };
      const key = `${group}/${version}/${kind}`;
      const definition = definitionsByGvk.get(key);
      if (!definition) continue;
      const previous = byKey.get(key);
      const listDefinition = spec.definitions[`${definition}List`] ? `${definition}List` : undefined;
      byKey.set(key, {
        group, version, kind, definition, listDefinition,
        namespaced: (previous?.namespaced ?? false) || match[1] !== undefined,
      });
    }
  }
  return [...byKey.values()];
}

function knownGroupVersions(spec: Swagger): string[] {
  const meta = spec.definitions['io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions'];
  const gvks = meta?.['x-kubernetes-group-version-kind'];
  if (!Array.isArray(gvks)) return [];
  return gvks.filter(isObject).map((g) => (g.group ? `${g.group}/${g.version}` : `${g.version}`));
}

function main(): void {
  if (!existsSync(sharedDir)) {
    console.error(`kgov schemas: ${sharedDir} not found (set KGOV_SHARED to the folder holding k8s-openapi/)`);
    process.exit(2);
  }
  const enumIndexes = new Map<string, EnumIndex>();
  for (const [version, file] of Object.entries(ENUM_SOURCES)) enumIndexes.set(version, collectEnums(readSwagger(file)));
  const enumSourceFor = (version: string): EnumIndex => {
    const withEnums = [...enumIndexes.keys()];
    const distance = (a: string) => Math.abs(Number(a.split('.')[1]) - Number(version.split('.')[1]));
    const nearest = withEnums.sort((a, b) => distance(a) - distance(b))[0] as string;
    return enumIndexes.get(nearest) as EnumIndex;
  };

  const schemas = new VariantStore();
  const descriptions = new VariantStore();
  const definitionVariants = new Map<string, string[]>();
  const descriptionVariants = new Map<string, string[]>();
  const kinds = new Map<string, { definition: string; namespaced: boolean; served: string[] }>();
  const listKinds = new Map<string, { item: string; served: string[] }>();
  const groupVersions = new Set<string>();
  const usedNotEnforced = new Set<string>();

  VERSIONS.forEach((version, versionIndex) => {
    const spec = readSwagger(`v${version}/swagger.json`);
    const enums = enumSourceFor(version);
    for (const [name, def] of Object.entries(spec.definitions)) {
      const schema = SPECIAL_DEFINITIONS[name] ?? dropUnenforcedRequired(name, version, convert(def, enums.get(name)), usedNotEnforced);
      const mark = (table: Map<string, string[]>, index: number) => {
        let row = table.get(name);
        if (!row) table.set(name, (row = VERSIONS.map(() => '-')));
        row[versionIndex] = index.toString(36);
      };
      mark(definitionVariants, schemas.intern(name, schema));
      mark(descriptionVariants, descriptions.intern(name, describe(def)));
    }
    for (const k of servedKinds(spec)) {
      const apiVersion = k.group ? `${k.group}/${k.version}` : k.version;
      const key = `${apiVersion}/${k.kind}`;
      if (k.listDefinition) {
        const list = listKinds.get(`${key}List`) ?? { item: key, served: [] };
        list.served.push(version);
        listKinds.set(`${key}List`, list);
      }
      const entry = kinds.get(key) ?? { definition: k.definition, namespaced: k.namespaced, served: [] };
      entry.served.push(version);
      kinds.set(key, entry);
    }
    for (const gv of knownGroupVersions(spec)) groupVersions.add(gv);
  });

  const stale = Object.entries(REQUIRED_NOT_ENFORCED)
    .flatMap(([name, entries]) => entries.map((e) => `${name} ${e.field}`))
    .filter((key) => !usedNotEnforced.has(key));
  if (stale.length > 0) {
    console.error(`kgov schemas: scripts/required-not-enforced.ts lists fields no bundled version requires:\n  ${stale.join('\n  ')}`);
    process.exit(2);
  }

  const sortedRecord = <T>(map: Map<string, T>, fn: (v: T) => Json): JsonObject => {
    const out: JsonObject = {};
    for (const key of [...map.keys()].sort()) out[key] = fn(map.get(key) as T);
    return out;
  };
  const index: JsonObject = {
    generatedBy: 'scripts/generate-schemas.ts',
    versions: VERSIONS,
    defaultVersion: DEFAULT_VERSION,
    kinds: sortedRecord(kinds, (k) => ({ definition: k.definition, namespaced: k.namespaced, served: k.served })),
    listKinds: sortedRecord(listKinds, (k) => ({ item: k.item, served: k.served })),
    groupVersions: [...groupVersions].sort(),
    definitions: sortedRecord(definitionVariants, (row) => row.join('')),
    descriptions: sortedRecord(descriptionVariants, (row) => row.join('')),
  };
  mkdirSync(outDir, { recursive: true });
  const write = (file: string, value: Json) => {
    const text = JSON.stringify(value);
    writeFileSync(join(outDir, file), `${text}\n`);
    console.log(`${file}: ${(text.length / 1024).toFixed(0)} KiB`);
  };
  write('index.json', index);
  write('definitions.json', schemas.sortedObject());
  write('descriptions.json', descriptions.sortedObject());
  console.log(`${kinds.size} kinds, ${listKinds.size} list kinds, ${definitionVariants.size} definitions, ${VERSIONS.length} versions`);
}

main();
