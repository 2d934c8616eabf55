/**
 * ajv validators for the built-in Kubernetes kinds of one version. Every definition is registered under its
 * name but compiled only when a kind that needs it is first validated; compiled definitions are shared
 * between kinds (PodSpec is compiled once for Deployment, Pod, Job, ...).
 */
import type Ajv from 'ajv';
import type { ValidateFunction } from 'ajv';
import { createAjv } from './ajv';
import type { SchemaCatalog } from './catalog';

type Schema = Record<string, unknown>;

function refsOf(schema: unknown, out: string[]): string[] {
  if (Array.isArray(schema)) for (const item of schema) refsOf(item, out);
  else if (typeof schema === 'object' && schema !== null) {
    for (const [key, value] of Object.entries(schema)) {
      if (key === '$ref' && typeof value === 'string') out.push(value);
      else refsOf(value, out);
    }
  }
  return out;
}

/** A copy of `schema` without `required` anywhere: for partial objects such as kustomize patches. */
function withoutRequired(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(withoutRequired);
  if (typeof schema !== 'object' || schema === null) return schema;
  const out: Schema = {};
  for (const [key, value] of Object.entries(schema)) if (key !== 'required') out[key] = withoutRequired(value);
  return out;
}

class DefinitionSet {
  private readonly ajv: Ajv = createAjv({ verbose: true });
  private readonly added = new Set<string>();
  private readonly validators = new Map<string, ValidateFunction>();

  constructor(private readonly definitions: Map<string, object>, private readonly partial: boolean) {}

  /** Registers `name` and everything it references (without compiling). */
  private ensure(name: string): boolean {
    const stack = [name];
    while (stack.length > 0) {
      const next = stack.pop() as string;
      if (this.added.has(next)) continue;
      const schema = this.definitions.get(next);
      if (!schema) return false;
      this.added.add(next);
      this.ajv.addSchema({ $id: next, ...(this.partial ? (withoutRequired(schema) as Schema) : (schema as Schema)) });
      stack.push(...refsOf(schema, []));
    }
    return true;
  }

  validator(definition: string): ValidateFunction | undefined {
    let validate = this.validators.get(definition);
    if (validate) return validate;
    if (!this.ensure(definition)) return undefined;
    validate = this.ajv.getSchema(definition);
    if (validate) this.validators.set(definition, validate);
    return validate;
  }

  schema(definition: string): Schema | undefined {
    return this.definitions.get(definition) as Schema | undefined;
  }
}

export class KubernetesSchemas {
  private full: DefinitionSet | undefined;
  private partialSet: DefinitionSet | undefined;
  private definitions: Map<string, object> | undefined;

  constructor(private readonly catalog: SchemaCatalog, readonly version: string) {}

  private defs(): Map<string, object> {
    this.definitions ??= this.catalog.definitionsFor(this.version);
    return this.definitions;
  }

  /** The validator of a definition; `partial` skips `required` (patches, overlays). */
  validator(definition: string, partial = false): ValidateFunction | undefined {
    if (partial) {
      this.partialSet ??= new DefinitionSet(this.defs(), true);
      return this.partialSet.validator(definition);
    }
    this.full ??= new DefinitionSet(this.defs(), false);
    return this.full.validator(definition);
  }

  /** The (generated) JSON Schema of a definition, for hover and completion. */
  schema(definition: string): Schema | undefined {
    return this.defs().get(definition) as Schema | undefined;
  }
}
