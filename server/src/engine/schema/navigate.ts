/** Walking a Kubernetes (or CRD) schema along a path, for hover ("kubectl explain") and completion. */
import { isJsonObject, type JsonObject } from '../types';
import type { SchemaCatalog } from './catalog';
import type { KubernetesSchemas } from './kubernetes';

export interface Field {
  name: string;
  schema: JsonObject;
  required: boolean;
  description?: string;
  /** "string", "integer", "[]Container", "map[string]string", "Quantity", "int-or-string". */
  type: string;
}

/** Where a schema node came from: enough to find its documentation. */
interface Node {
  schema: JsonObject;
  /** The definition that declares `schema` (for descriptions of its properties). */
  definition?: string;
}

export interface SchemaSource {
  /** Where the schema comes from, for hover: "Kubernetes 1.34", "CRD certificates.cert-manager.io (cert-manager v1.16.2 CRD from kgov's catalog)". */
  label: string;
  /** Resolves the node at the root of a resource. */
  root(): Node | undefined;
  resolve(node: Node): Node;
  describe(definition: string | undefined, field: string, schema: JsonObject): string | undefined;
}

const shortName = (ref: string) => ref.slice(ref.lastIndexOf('.') + 1);

export function typeLabel(schema: JsonObject): string {
  if (typeof schema.$ref === 'string') {
    const name = shortName(schema.$ref);
    return name === 'IntOrString' ? 'int-or-string' : name;
  }
  const type = schema.type;
  if (Array.isArray(type)) {
    if (type.includes('integer') && type.includes('string')) return 'int-or-string';
    if (schema.format === 'quantity') return 'Quantity';
    return type.filter((t) => t !== 'null').join(' | ');
  }
  if (type === 'array') return `[]${isJsonObject(schema.items) ? typeLabel(schema.items) : 'any'}`;
  if (type === 'object' && isJsonObject(schema.additionalProperties)) return `map[string]${typeLabel(schema.additionalProperties)}`;
  if (typeof type === 'string') return schema.format && schema.format !== 'int32' && schema.format !== 'int64' ? `${type} (${String(schema.format)})` : type;
  return 'any';
}

/** A built-in kind's schema for one version. */
export function kubernetesSource(catalog: SchemaCatalog, schemas: KubernetesSchemas, definition: string): SchemaSource {
  const resolve = (node: Node): Node => {
    let current = node;
    for (let depth = 0; depth < 10 && typeof current.schema.$ref === 'string'; depth++) {
      const name = current.schema.$ref;
      const target = schemas.schema(name);
      if (!target) break;
      current = { schema: target as JsonObject, definition: name };
    }
    return current;
  };
  return {
    label: `Kubernetes ${schemas.version}`,
    root: () => {
      const schema = schemas.schema(definition);
      return schema ? { schema: schema as JsonObject, definition } : undefined;
    },
    resolve,
    describe: (def, field, schema) => {
      if (def) {
        const own = catalog.descriptions(def, schemas.version)?.[field];
        if (own) return own;
      }
      // A field whose type is a definition: fall back to the type's own description.
      if (typeof schema.$ref === 'string') return catalog.descriptions(schema.$ref, schemas.version)?.[''];
      return undefined;
    },
  };
}

/** A custom resource's schema (openAPIV3Schema, descriptions inline). */
export function crdSource(openAPIV3Schema: JsonObject, label: string): SchemaSource {
  return {
    label,
    root: () => ({ schema: openAPIV3Schema }),
    resolve: (node) => node,
    describe: (_def, _field, schema) => (typeof schema.description === 'string' ? schema.description : undefined),
  };
}

function step(source: SchemaSource, node: Node, segment: string): Node | undefined {
  const resolved = source.resolve(node);
  const { schema } = resolved;
  if (/^\d+$/.test(segment) && isJsonObject(schema.items)) return { schema: schema.items, ...(resolved.definition ? { definition: resolved.definition } : {}) };
  if (isJsonObject(schema.properties) && isJsonObject(schema.properties[segment])) {
    return { schema: schema.properties[segment] as JsonObject, ...(resolved.definition ? { definition: resolved.definition } : {}) };
  }
  if (isJsonObject(schema.additionalProperties)) return { schema: schema.additionalProperties, ...(resolved.definition ? { definition: resolved.definition } : {}) };
  return undefined;
}

/** The field at the end of `path` (object keys and list indexes), with its documentation. */
export function fieldAt(source: SchemaSource, path: readonly string[]): (Field & { parentType: string }) | undefined {
  let node = source.root();
  if (!node || path.length === 0) return undefined;
  let parent: Node = node;
  for (const segment of path) {
    parent = source.resolve(node as Node);
    node = step(source, node as Node, segment);
    if (!node) return undefined;
  }
  // For a list item the interesting field is the list's key.
  const name = [...path].reverse().find((s) => !/^\d+$/.test(s)) ?? '';
  const required = Array.isArray(parent.schema.required) && parent.schema.required.includes(name);
  const description = source.describe(parent.definition, name, node.schema) ?? source.describe(undefined, name, source.resolve(node).schema);
  const field: Field & { parentType: string } = {
    name, schema: node.schema, required, type: typeLabel(node.schema),
    parentType: parent.definition ? shortName(parent.definition) : 'object',
  };
  if (description) field.description = description;
  return field;
}

/** The properties an object at `path` may have (for completion). */
export function fieldsAt(source: SchemaSource, path: readonly string[]): Field[] {
  let node = source.root();
  for (const segment of path) {
    if (!node) return [];
    node = step(source, node, segment);
  }
  if (!node) return [];
  const resolved = source.resolve(node);
  const properties = resolved.schema.properties;
  if (!isJsonObject(properties)) return [];
  const required = Array.isArray(resolved.schema.required) ? resolved.schema.required : [];
  return Object.entries(properties).filter(([, s]) => isJsonObject(s)).map(([name, s]) => {
    const schema = s as JsonObject;
    const field: Field = { name, schema, required: required.includes(name), type: typeLabel(schema) };
    const description = source.describe(resolved.definition, name, schema);
    if (description) field.description = description;
    return field;
  });
}

/** Enum values (or booleans) allowed at `path`. */
export function valuesAt(source: SchemaSource, path: readonly string[]): string[] {
  let node = source.root();
  for (const segment of path) {
    if (!node) return [];
    node = step(source, node, segment);
  }
  if (!node) return [];
  const schema = source.resolve(node).schema;
  if (Array.isArray(schema.enum)) return schema.enum.map(String);
  if (schema.type === 'boolean') return ['true', 'false'];
  return [];
}
