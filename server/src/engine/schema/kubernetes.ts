/**
 * ajv validators for the built-in Kubernetes kinds of one version. Each definition is compiled on its own, the
 * first time a value needs it: a `$ref` becomes the `kgovRef` keyword, which validates with the referenced
 * definition's validator (compiled then, and shared: PodSpec is compiled once for Deployment, Pod, Job, ...).
 * So the first Deployment compiles the definitions its fields use, not the whole closure of PodSpec (every volume
 * source, every probe handler): that is what makes the first result of a cold start fast.
 *
 * A referenced definition is validated after its referrer, from a queue, not from inside it: definitions refer to
 * themselves (a CRD's JSONSchemaProps nests once per schema level), and ajv's validators have large stack frames,
 * so validating by recursion would spend the stack in proportion to how deep a document nests. Only a `$ref`
 * under `anyOf`, `oneOf`, `not` or `if`, whose result its parent needs at once, is validated in place.
 */
import type Ajv from 'ajv';
import type { ErrorObject, SchemaValidateFunction, ValidateFunction } from 'ajv/dist/types';
import { createBundledAjv } from './ajv';
import { withoutAlternatives } from './messages';

type Schema = Record<string, unknown>;

const DEFERRED_REF = 'kgovRef';
const IMMEDIATE_REF = 'kgovRefNow';
/** Keywords whose subschemas' results their parent needs at once. */
const IMMEDIATE = new Set(['anyOf', 'oneOf', 'not', 'if', 'then', 'else']);
/** Keywords whose object values map names to subschemas (the names are not keywords). */
const NAMED = new Set(['properties', 'patternProperties', 'definitions', '$defs', 'dependentSchemas']);

/** A copy of `schema` with every `$ref` turned into a kgov keyword, and without `required` when `partial` (patches). */
function prepare(schema: unknown, partial: boolean, immediate = false): unknown {
  if (Array.isArray(schema)) return schema.map((item) => prepare(item, partial, immediate));
  if (typeof schema !== 'object' || schema === null) return schema;
  const out: Schema = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'required' && partial) continue;
    if (key === '$ref') out[immediate ? IMMEDIATE_REF : DEFERRED_REF] = value;
    else if (NAMED.has(key) && typeof value === 'object' && value !== null && !Array.isArray(value)) {
      out[key] = Object.fromEntries(Object.entries(value).map(([name, sub]) => [name, prepare(sub, partial, immediate)]));
    } else out[key] = prepare(value, partial, immediate || IMMEDIATE.has(key));
  }
  return out;
}

interface Deferred {
  definition: string;
  data: unknown;
  /** Where `data` sits in the value the validation started from. */
  path: string;
}

class DefinitionSet {
  private readonly ajv: Ajv = createBundledAjv({ verbose: true });
  private readonly compiled = new Map<string, ValidateFunction | null>();
  private readonly validators = new Map<string, ValidateFunction | null>();
  /** The references met by the validation running now, still to validate (undefined when none runs). */
  private queue: Deferred[] | undefined;
  /** Where the value being validated now sits in the value the validation started from. */
  private base = '';

  constructor(private readonly definitions: Map<string, object>, private readonly partial: boolean) {
    const deferred: SchemaValidateFunction = (definition: string, data: unknown, _parentSchema, context) => {
      (this.queue as Deferred[]).push({ definition, data, path: this.base + (context?.instancePath ?? '') });
      return true;
    };
    const immediate: SchemaValidateFunction = (definition: string, data: unknown, _parentSchema, context) => {
      const validate = this.validator(definition);
      if (!validate || validate(data)) return true;
      // Paths of the referenced validator are relative to the value it was given; ajv then sets schemaPath (to
      // this keyword, so anyOf/oneOf grouping still works), and, being verbose, `schema` and `data` to this
      // keyword's: messages read values by pointer and alternatives from parentSchema for that reason.
      immediate.errors = prefixed(validate.errors ?? [], context?.instancePath ?? '');
      return false;
    };
    this.ajv.addKeyword({ keyword: DEFERRED_REF, schemaType: 'string', validate: deferred });
    this.ajv.addKeyword({ keyword: IMMEDIATE_REF, schemaType: 'string', errors: true, validate: immediate });
  }

  /** Validates with a definition and, one after the other, with the definitions its references lead to. */
  validator(definition: string): ValidateFunction | undefined {
    let validate = this.validators.get(definition);
    if (validate === undefined) {
      const compiled = this.compile(definition);
      validate = compiled ? this.draining(compiled) : null;
      this.validators.set(definition, validate);
    }
    return validate ?? undefined;
  }

  private compile(definition: string): ValidateFunction | null {
    let compiled = this.compiled.get(definition);
    if (compiled === undefined) {
      const schema = this.definitions.get(definition);
      compiled = schema ? this.ajv.compile(prepare(schema, this.partial) as Schema) : null;
      this.compiled.set(definition, compiled);
    }
    return compiled;
  }

  private draining(compiled: ValidateFunction): ValidateFunction {
    const run = ((data: unknown) => {
      const outer = { queue: this.queue, base: this.base };
      const queue: Deferred[] = [];
      this.queue = queue;
      this.base = '';
      let errors: ErrorObject[] = [];
      try {
        if (!compiled(data)) errors = [...(compiled.errors ?? [])];
        for (let next = queue.shift(); next; next = queue.shift()) {
          const referenced = this.compile(next.definition);
          this.base = next.path;
          if (referenced && !referenced(next.data)) errors.push(...prefixed(referenced.errors ?? [], next.path));
        }
      } finally {
        this.queue = outer.queue;
        this.base = outer.base;
      }
      run.errors = errors.length > 0 ? errors : null;
      return errors.length === 0;
    }) as ValidateFunction;
    return run;
  }
}

/** Errors of a referenced definition, with paths made relative to the value the validation started from. */
function prefixed(errors: ErrorObject[], path: string): ErrorObject[] {
  const kept = withoutAlternatives(errors);
  return path === '' ? kept : kept.map((e) => ({ ...e, instancePath: path + e.instancePath }));
}

export class KubernetesSchemas {
  private full: DefinitionSet | undefined;
  private partialSet: DefinitionSet | undefined;
  private definitions: Map<string, object> | undefined;

  /** `definitionsFor`: the catalog's definitions of a version (read on first use: most runs need one version). */
  constructor(private readonly definitionsFor: (version: string) => Map<string, object>, readonly version: string) {}

  private defs(): Map<string, object> {
    this.definitions ??= this.definitionsFor(this.version);
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
