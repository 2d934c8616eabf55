/**
 * One resource against its schema: apiVersion/kind present, served by the target version (api/*), and valid
 * against the Kubernetes definition, its CRD, or kustomize's schema (schema/*).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ValidateFunction } from 'ajv';
import { groupOf } from '../k8s/kinds';
import { joinPointer, valueAt } from '../util/pointer';
import type { ManifestResource } from '../lint/resources';
import { createBundledAjv } from './ajv';
import type { SchemaCatalog } from './catalog';
import { defaulted, validatorOf, type CrdRegistry, type CustomKind } from './crd';
import { resolveCustomKind, type CatalogScope } from './crd-catalog';
import type { KubernetesSchemas } from './kubernetes';
import { schemaProblems, type SchemaProblem } from './messages';
import { isJsonObject, type Fix, type JsonObject, type JsonValue } from '../types';
import { locationOf, valueSpan } from '../yaml/location';
import { locate, rootEntry } from '../yaml/locate';

export interface ValidationContext {
  catalog: SchemaCatalog;
  schemas: KubernetesSchemas;
  crds: CrdRegistry;
  /** What kgov's CRD catalog may answer for (after the workspace's and the cluster's CRDs). */
  crdScope: CatalogScope;
  /** The file is a kustomize patch: a partial object. */
  partial: boolean;
  kustomizeSchemaDir: string;
}

const OBJECT_META = 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta';

let kustomize: { schema: JsonObject; validate: ValidateFunction } | undefined;

/**
 * A kustomization's validator. kustomize decodes kustomization.yaml with Go's encoding/json, which matches field
 * names case-insensitively (`fieldRef: {fieldPath: ...}` sets `fieldref.fieldpath`), so the value is validated
 * with the schema's spelling of each key and the errors are mapped back to the keys as written.
 */
function validateKustomization(dir: string): ValidateFunction {
  if (!kustomize) {
    const schema = JSON.parse(readFileSync(join(dir, 'kustomize', 'kustomization.schema.json'), 'utf8')) as JsonObject;
    kustomize = { schema, validate: createBundledAjv({ verbose: true }).compile(schema) };
  }
  const { schema, validate } = kustomize;
  const run = ((value: unknown) => {
    const renamed = new Map<string, string>();
    const ok = validate(withSchemaKeys(schema, value, '', '', renamed));
    run.errors = ok ? null : (validate.errors ?? []).map((e) => ({ ...e, instancePath: writtenPointer(e.instancePath, renamed) }));
    return ok;
  }) as ValidateFunction;
  return run;
}

/** A copy of `value` whose keys are spelt as `schema` spells them; `renamed` maps such pointers to the written ones. */
function withSchemaKeys(schema: JsonValue | undefined, value: unknown, pointer: string, written: string, renamed: Map<string, string>): unknown {
  if (!isJsonObject(schema) || typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map((item, i) => withSchemaKeys(schema.items, item, `${pointer}/${i}`, `${written}/${i}`, renamed));
  const properties = isJsonObject(schema.properties) ? schema.properties : {};
  const byLowerCase = new Map(Object.keys(properties).map((name) => [name.toLowerCase(), name]));
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    const name = Object.hasOwn(properties, key) ? key : byLowerCase.get(key.toLowerCase()) ?? key;
    const at = joinPointer(pointer, name);
    const writtenAt = joinPointer(written, key);
    if (name !== key) renamed.set(at, writtenAt);
    out[name] = withSchemaKeys(Object.hasOwn(properties, name) ? properties[name] : schema.additionalProperties as JsonValue | undefined, item, at, writtenAt, renamed);
  }
  return out;
}

/** The pointer as written, for one into the copy withSchemaKeys made. */
function writtenPointer(pointer: string, renamed: Map<string, string>): string {
  if (renamed.size === 0) return pointer;
  for (let end = pointer.length; end > 0; end = pointer.lastIndexOf('/', end - 1)) {
    const written = renamed.get(pointer.slice(0, end));
    if (written !== undefined) return written + pointer.slice(end);
  }
  return pointer;
}

function messageContext(resource: ManifestResource, label: string, base: string) {
  const doc = resource.doc;
  return {
    label,
    base,
    hasKey: (pointer: string, key: string) => locationOf(valueAt(doc.value, pointer))?.has(key) === true,
    value: (pointer: string) => valueAt(doc.value, pointer),
    sourceText: (pointer: string) => {
      const found = locate(doc.value, rootEntry(doc), pointer);
      if (!found.complete) return undefined;
      const span = valueSpan(found.entry);
      return doc.source.slice(span.start, span.end);
    },
  };
}

function run(validate: ValidateFunction, value: unknown, resource: ManifestResource, label: string, base: string): SchemaProblem[] {
  if (validate(value)) return [];
  const context = messageContext(resource, label, base);
  return schemaProblems(validate.errors ?? [], context).map((p) => withFix(p, resource, context.sourceText));
}

/** The obvious repairs: a misspelt field renamed, a near-miss enum value corrected, a YAML 1.1 surprise quoted. */
function withFix(problem: SchemaProblem, resource: ManifestResource, sourceText: (pointer: string) => string | undefined): SchemaProblem {
  const data = problem.data ?? {};
  const parent = problem.pointer.slice(0, problem.pointer.lastIndexOf('/'));
  if (problem.ruleId === 'schema/unknown-field' && typeof data.suggestion === 'string') {
    const siblings = valueAt(resource.doc.value, parent);
    if (typeof siblings === 'object' && siblings !== null && data.suggestion in siblings) return problem;
    return { ...problem, fix: { title: `Rename "${String(data.field)}" to "${data.suggestion}"`, patch: [{ op: 'move', from: problem.pointer, path: joinPointer(parent, data.suggestion) }] } };
  }
  if (problem.ruleId === 'schema/enum' && typeof data.suggestion === 'string') {
    return { ...problem, fix: { title: `Change to "${data.suggestion}"`, patch: [{ op: 'replace', path: problem.pointer, value: data.suggestion }] } };
  }
  if (problem.ruleId === 'schema/type') {
    const current = valueAt(resource.doc.value, problem.pointer);
    const expected = String(data.expected ?? '').split(',');
    const written = sourceText(problem.pointer)?.trim();
    if (expected.includes('string') && (typeof current === 'boolean' || typeof current === 'number') && written) {
      return { ...problem, fix: { title: `Quote it: "${written}"`, patch: [{ op: 'replace', path: problem.pointer, value: written }] } };
    }
    if ((expected.includes('integer') || expected.includes('number')) && typeof current === 'string' && /^[-+]?\d+$/.test(current)) {
      return { ...problem, fix: { title: `Write the number ${Number(current)}`, patch: [{ op: 'replace', path: problem.pointer, value: Number(current) }] } };
    }
  }
  return problem;
}

/** What kubectl says when the API server serves no such kind. */
function noMatches(kind: string, apiVersion: string): string {
  return `no matches for kind "${kind}" in version "${apiVersion}"`;
}

/** Does the resource validate as `replacement` (same kind) just as well? Then its apiVersion can simply change. */
function compatibleReplacement(resource: ManifestResource, ctx: ValidationContext, kind: string, replacement: string | undefined, before: number): boolean {
  if (!replacement) return false;
  const entry = ctx.catalog.kind(replacement, kind);
  const validate = entry ? ctx.schemas.validator(entry.definition, ctx.partial) : undefined;
  if (!validate) return false;
  const ok = validate({ ...resource.value, apiVersion: replacement });
  return ok || (validate.errors?.length ?? 0) <= before;
}

function problem(ruleId: string, messageId: string, message: string, pointer: string, anchor: SchemaProblem['anchor'], data?: Record<string, unknown>): SchemaProblem {
  return data ? { ruleId, messageId, message, pointer, anchor, data } : { ruleId, messageId, message, pointer, anchor };
}

export function validateResource(resource: ManifestResource, ctx: ValidationContext): SchemaProblem[] {
  const base = resource.pointer;
  const value = resource.value;
  if (resource.kustomization) return run(validateKustomization(ctx.kustomizeSchemaDir), value, resource, 'Kustomization', base);

  const location = locationOf(value);
  const { apiVersion, kind } = resource;
  const problems: SchemaProblem[] = [];
  if (!apiVersion || !kind) {
    // A List item may inherit apiVersion/kind from its typed List; the document itself must state both.
    for (const [field, present] of [['apiVersion', apiVersion], ['kind', kind]] as const) {
      if (present) continue;
      if (typeof value[field] !== 'undefined' && typeof value[field] !== 'string') continue; // schema/type below
      problems.push(location?.has(field)
        ? problem('schema/required', 'requiredEmpty', `Required field "${field}" has no value.`, joinPointer(base, field), 'key', { field })
        : problem('schema/required', 'required', `The document has ${field === 'kind' ? 'an apiVersion but no kind' : 'a kind but no apiVersion'}; both are required.`, base, 'parentKey', { field }));
    }
    for (const field of ['apiVersion', 'kind'] as const) {
      if (value[field] !== undefined && typeof value[field] !== 'string') {
        problems.push(problem('schema/type', 'type', `${field} must be a string.`, joinPointer(base, field), 'value'));
      }
    }
    return problems;
  }

  const custom = resolveCustomKind(ctx.crds, ctx.catalog.crds, ctx.crdScope, apiVersion, kind);
  if (custom) {
    if (!custom.served && custom.origin) {
      // The catalog pins one release of the project; the cluster may run another, so this is not an error.
      const others = ctx.catalog.crds.known(apiVersion, kind, ctx.crdScope)?.served ?? [];
      problems.push(problem('api/unknown-kind', 'catalogNotServed',
        `${apiVersion} ${kind} is not served by the ${custom.origin} (served: false)${others.length ? `; use ${others.join(' or ')}` : ''}. A cluster with another release of its CRD may still serve it.`,
        joinPointer(base, 'apiVersion'), 'value'));
      return problems;
    }
    if (!custom.served) {
      const others = ctx.crds.versionsOf(custom.crdName);
      problems.push(problem('api/removed', 'crdNotServed',
        `${apiVersion} ${kind} is not served: CustomResourceDefinition ${custom.crdName} marks this version served: false${others.length ? `; use ${others.join(' or ')}` : ''}.`,
        joinPointer(base, 'apiVersion'), 'value'));
      return problems;
    }
    if (custom.deprecated !== undefined) {
      problems.push(problem('api/deprecated', 'crdDeprecated',
        `${apiVersion} ${kind} is deprecated by CustomResourceDefinition ${custom.crdName}${custom.origin ? ` (${custom.origin})` : ''}${custom.deprecated ? `: ${custom.deprecated}` : '.'}`,
        joinPointer(base, 'apiVersion'), 'value'));
    }
    const validate = validatorOf(custom);
    const label = `${kind} (${apiVersion}${custom.origin ? `, ${custom.origin}` : ''})`;
    if (validate) {
      const found = run(validate, defaulted(custom, value), resource, label, base);
      problems.push(...(custom.statusSubresource ? withoutStatusValidation(found, base, DECODED_CUSTOM) : found));
    }
    problems.push(...validateMetadata(resource, ctx, label));
    return problems;
  }

  const status = ctx.catalog.status(apiVersion, kind, ctx.schemas.version);
  const at = joinPointer(base, 'apiVersion');
  const gvk = `${apiVersion} ${kind}`;
  const version = ctx.schemas.version;
  const useInstead = (replacement: string | undefined) => (replacement ? `; use ${replacement}` : '');
  // The fix changes apiVersion only where the replacement's schema accepts the same fields.
  const current = status.state === 'served' || status.state === 'deprecated' ? ctx.schemas.validator(status.entry.definition, ctx.partial) : undefined;
  const errorsNow = current && !current(value) ? current.errors?.length ?? 0 : 0;
  const upgrade = (p: SchemaProblem, replacement: string | undefined): SchemaProblem => {
    if (!replacement || !compatibleReplacement(resource, ctx, kind, replacement, errorsNow)) return p;
    const fix: Fix = { title: `Change apiVersion to ${replacement}`, patch: [{ op: 'replace', path: at, value: replacement }] };
    return { ...p, fix };
  };
  switch (status.state) {
    case 'unknown': {
      const defined = ctx.crds.definedVersions(groupOf(apiVersion), kind);
      if (defined.length > 0) {
        problems.push(problem('api/removed', 'crdVersionMissing',
          `${gvk} is not served: CustomResourceDefinition ${(defined[0] as CustomKind).crdName} defines ${kind} as ${defined.map((d) => d.apiVersion).join(' and ')} only (kubectl: ${noMatches(kind, apiVersion)}).`,
          at, 'value'));
        return problems;
      }
      const known = ctx.catalog.crds.known(apiVersion, kind, ctx.crdScope);
      if (known && known.served.length > 0) {
        // A warning, not api/removed: the catalog pins one release, and the cluster's may serve other versions.
        problems.push(problem('api/unknown-kind', 'catalogVersionMissing',
          `${gvk} is not served by the ${known.projects.join(', ')} CRD in kgov's catalog, which defines ${kind} as ${known.served.join(' and ')}; unless your cluster runs a release of the CRD that serves ${apiVersion}, kubectl answers: ${noMatches(kind, apiVersion)}.`,
          at, 'value'));
        return problems;
      }
      const suggestion = known?.suggestion ? `${apiVersion} ${known.suggestion}` : status.suggestion;
      const definers = known
        ? `kgov's CRD catalog has no such kind in ${groupOf(apiVersion)} (${known.projects.join(', ')})`
        : 'no CustomResourceDefinition in the workspace or in kgov\'s CRD catalog defines it';
      const unknown = problem('api/unknown-kind', 'unknownKind',
        `Unknown kind ${gvk}: no bundled Kubernetes version serves it and ${definers}${suggestion ? `; did you mean ${suggestion}?` : `; kubectl apply fails unless the cluster has its CRD (${noMatches(kind, apiVersion)}).`}`,
        joinPointer(base, 'kind'), 'value', suggestion ? { suggestion } : undefined);
      const kindFix = known?.suggestion ? { title: `Change kind to ${known.suggestion}`, patch: [{ op: 'replace' as const, path: joinPointer(base, 'kind'), value: known.suggestion }] } : undefined;
      problems.push(kindFix ? { ...unknown, fix: kindFix } : unknown);
      return problems;
    }
    case 'removed':
      if (status.notAtVersion) {
        problems.push(upgrade(problem('api/removed', 'notAtVersion',
          `${gvk} is not served: ${apiVersion} has no kind ${kind}${status.replacement ? `; ${status.replacement} serves it` : ''} (kubectl: ${noMatches(kind, apiVersion)}).`,
          at, 'value', status.replacement ? { replacement: status.replacement } : undefined), status.replacement));
        return problems;
      }
      problems.push(upgrade(problem('api/removed', 'removed',
        status.lastServed
          ? `${gvk} is not served by Kubernetes ${version}: it was last served in ${status.lastServed}${status.replacement ? `; use ${status.replacement}` : '; there is no replacement'} (kubectl: ${noMatches(kind, apiVersion)}).`
          : `${gvk} is not served by Kubernetes ${version}: it was removed before ${ctx.catalog.versions[0]}, the oldest version kgov bundles${status.replacement ? `; use ${status.replacement}` : '; there is no replacement'} (kubectl: ${noMatches(kind, apiVersion)}).`,
        at, 'value', status.replacement ? { replacement: status.replacement } : undefined), status.replacement));
      return problems;
    case 'notYetServed':
      problems.push(problem('api/removed', 'notYetServed',
        `${gvk} is not served by Kubernetes ${version}: it is first served in ${status.firstServed}${useInstead(status.replacement)} (kubectl: ${noMatches(kind, apiVersion)}).`, at, 'value'));
      return problems;
    case 'deprecated':
      problems.push(upgrade(problem('api/deprecated', 'deprecated',
        `${gvk} is deprecated: Kubernetes ${status.removedIn} no longer serves it${status.replacement ? `; migrate to ${status.replacement}` : ''}.`,
        at, 'value', { removedIn: status.removedIn, ...(status.replacement ? { replacement: status.replacement } : {}) }), status.replacement));
      break;
    case 'served':
      break;
  }
  const definition = status.state === 'served' || status.state === 'deprecated' ? status.entry.definition : undefined;
  const validate = definition ? ctx.schemas.validator(definition, ctx.partial) : undefined;
  if (validate) problems.push(...withoutStatusValidation(run(validate, value, resource, kind, base), base, DECODED_BUILTIN));
  return problems;
}

/** What the decoder still checks in `status`: unknown fields, and for built-in kinds (typed) types and formats. */
const DECODED_CUSTOM = new Set(['schema/unknown-field']);
const DECODED_BUILTIN = new Set(['schema/unknown-field', 'schema/type', 'schema/format']);

/**
 * The API server resets `status` before it validates a create or an update of a built-in kind, or of a custom one
 * whose CRD enables the status subresource (the status endpoint alone writes it); only decoding sees it.
 */
function withoutStatusValidation(problems: SchemaProblem[], base: string, decoded: ReadonlySet<string>): SchemaProblem[] {
  const status = joinPointer(base, 'status');
  return problems.filter((p) => decoded.has(p.ruleId) || (p.pointer !== status && !p.pointer.startsWith(`${status}/`)));
}

/** A custom resource's metadata is an ObjectMeta like any other. */
function validateMetadata(resource: ManifestResource, ctx: ValidationContext, label: string): SchemaProblem[] {
  const metadata = resource.value.metadata;
  if (!isJsonObject(metadata)) return [];
  const validate = ctx.schemas.validator(OBJECT_META, ctx.partial);
  return validate ? run(validate, metadata, resource, label, joinPointer(resource.pointer, 'metadata')) : [];
}
