/**
 * ajv validators for the built-in Kubernetes kinds of one version. Each definition is compiled on its own, the
 * first time a value needs it: a `$ref` becomes the `kgovRef` keyword, which validates with the referenced
 * definition's validator (compiled then, and shared: PodSpec is compiled once for Deployment, Pod, Job, ...).
 * So the first Deployment compiles the definitions its fields use, not the whole closure of PodSpec (every volume
 * source, every probe handler): that is what makes the first result of a cold start fast.
 */
import type Ajv from 'ajv';
import type { ErrorObject, SchemaValidateFunction, ValidateFunction } from 'ajv/dist/types';
import { createBundledAjv } from './ajv';
import type { SchemaCatalog } from './catalog';
import { withoutAlternatives } from './messages';

type Schema = Record<string, unknown>;

const LAZY_REF = 'kgovRef';

/** A copy of `schema` with every `$ref` turned into `kgovRef`, and without `required` when `partial` (patches). */
function prepare(schema: unknown, partial: boolean): unknown {
  if (Array.isArray(schema)) return schema.map((item) => prepare(item, partial));
  if (typeof schema !== 'object' || schema === null) return schema;
  const out: Schema = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'required' && partial) continue;
    if (key === '$ref') out[LAZY_REF] = value;
    else out[key] = prepare(value, partial);
  }
  return out;
}

class DefinitionSet {
  private readonly ajv: Ajv = createBundledAjv({ verbose: true });
  private readonly validators = new Map<string, ValidateFunction | null>();

  constructor(private readonly definitions: Map<string, object>, private readonly partial: boolean) {
    const lazyRef: SchemaValidateFunction = (name: string, data: unknown, _parentSchema, context) => {
      const validate = this.validator(name);
      if (!validate || validate(data)) return true;
      // Paths of the referenced validator are relative to the value it was given; ajv then sets schemaPath (to
      // this keyword, so anyOf/oneOf grouping still works), and, being verbose, `schema` and `data` to this
      // keyword's: messages read values by pointer and alternatives from parentSchema for that reason.
      const prefix = context?.instancePath ?? '';
      lazyRef.errors = withoutAlternatives(validate.errors ?? []).map((e: ErrorObject) => ({ ...e, instancePath: prefix + e.instancePath }));
      return false;
    };
    this.ajv.addKeyword({ keyword: LAZY_REF, schemaType: 'string', errors: true, validate: lazyRef });
  }

  validator(definition: string): ValidateFunction | undefined {
    let validate = this.validators.get(definition);
    if (validate === undefined) {
      const schema = this.definitions.get(definition);
      validate = schema ? this.ajv.compile(prepare(schema, this.partial) as Schema) : null;
      this.validators.set(definition, validate);
    }
    return validate ?? undefined;
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
