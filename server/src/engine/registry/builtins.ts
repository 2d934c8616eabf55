/**
 * Findings the engine itself produces (YAML syntax, Kubernetes schema, API versions). They are not rule
 * modules (nothing to walk), but they are configured, documented and listed like rules.
 */
import type { Severity } from '../types';

export interface BuiltinMeta {
  id: string;
  family: 'yaml' | 'schema' | 'api' | 'config' | 'kgov' | 'cluster' | 'helm' | 'kustomize';
  defaultSeverity: Severity;
  summary: string;
  rationale: string;
  /** An umbrella id (from the rule catalog) standing for a group of finding ids: configuring or waiving it covers them. */
  covers?: readonly string[];
  aliases?: { kubeLinter?: string[]; kubeScore?: string[] };
}

const builtin = (id: string, defaultSeverity: Severity, summary: string, rationale: string): BuiltinMeta => ({
  id, family: id.slice(0, id.indexOf('/')) as BuiltinMeta['family'], defaultSeverity, summary, rationale,
});

export const BUILTINS: readonly BuiltinMeta[] = [
  builtin('api/deprecated', 'warning', 'The apiVersion is served now but removed in a later Kubernetes version.',
    'Manifests written against a deprecated API stop applying after the upgrade that removes it; migrating early avoids a failed rollout on upgrade day.'),
  builtin('api/removed', 'error', 'The apiVersion and kind are not served by the target Kubernetes version.',
    'The API server rejects objects of an apiVersion it does not serve ("no matches for kind"), so the manifest cannot be applied.'),
  builtin('cluster/dry-run', 'error', 'The cluster rejects the object in a server-side apply dry run (kgov: Validate Against Cluster, kgov audit --context).',
    'The API server validates more than any schema: admission webhooks and policies (Kyverno, Gatekeeper), immutable fields, quotas and the CRD versions it actually serves. A dry run (dryRun=All, nothing is stored) asks it, and the answer is shown at the key it names.'),
  builtin('cluster/dry-run-warning', 'warning', 'The cluster accepts the object in a dry run but warns (deprecated APIs, Pod Security "would violate").',
    'Warnings from the API server announce failures to come: a removed API on the next upgrade, pods a Pod Security level will reject once it is enforced.'),
  builtin('config/invalid', 'error', 'The kgov configuration (.kgov.yaml) or a policy file it lists is not valid.',
    'A broken configuration would silently change what is checked; kgov reports it at the offending key and stops (CLI exit code 2).'),
  builtin('helm/render-error', 'error', 'helm template failed on the chart: a template error, values that fail the chart\'s values.schema.json, or invalid rendered YAML.',
    'A chart that does not render cannot be installed. kgov renders charts with your own helm (trusted workspaces, kgov.helm.enable) and shows helm\'s error at the template line or values key it names.'),
  builtin('helm/missing-dependencies', 'error', 'The chart lists dependencies in Chart.yaml that are not in its charts/ folder, so it cannot be rendered.',
    'helm template needs the dependencies unpacked; kgov never downloads them. Run `helm dependency build` in the chart folder.'),
  builtin('kustomize/build-error', 'error', 'kustomize could not build the overlay (a missing base or patch target, an invalid kustomization).',
    'An overlay that does not build cannot be applied with `kubectl apply -k`; kgov shows kustomize\'s error on the kustomization file.'),
  builtin('kgov/internal-error', 'info', 'kgov could not finish checking this document.',
    'A rule failed on input it did not expect. The rest of the file is still checked; please report the message.'),
  builtin('api/unknown-kind', 'warning', 'No bundled Kubernetes version serves this kind, and no CustomResourceDefinition in the workspace, the cluster or kgov\'s CRD catalog defines it at this apiVersion.',
    'A typo in apiVersion or kind, or a missing CRD, makes `kubectl apply` fail. kgov\'s catalog pins one release of each project, so an apiVersion that release does not serve is a warning: the cluster may run another release. Add the CRD to the workspace (or turn on cluster features) to have such resources validated against the CRD you really run.'),
  builtin('schema/anyOf', 'error', 'The value matches none of the shapes its schema allows.', 'The API server rejects values that match no allowed shape.'),
  builtin('schema/enum', 'error', 'The value is not one of the values the field accepts.', 'The API server rejects unsupported values (e.g. `imagePullPolicy: always`).'),
  builtin('schema/format', 'error', 'The value does not have the field\'s format (quantity, base64, date-time, 32-bit integer, ...).', 'The API server cannot decode a malformed quantity such as `1 Gi` or a non-base64 Secret value.'),
  builtin('schema/maxItems', 'error', 'The list has more items than allowed.', 'The API server enforces the bound.'),
  builtin('schema/maxLength', 'error', 'The string is longer than allowed.', 'The API server enforces the bound.'),
  builtin('schema/maximum', 'error', 'The number is above the allowed maximum.', 'The API server enforces the bound.'),
  builtin('schema/minItems', 'error', 'The list has fewer items than required.', 'The API server enforces the bound.'),
  builtin('schema/minLength', 'error', 'The string is shorter than allowed.', 'The API server enforces the bound.'),
  builtin('schema/minimum', 'error', 'The number is below the allowed minimum.', 'The API server enforces the bound.'),
  builtin('schema/oneOf', 'error', 'The value must match exactly one of the shapes its schema allows.', 'The API server rejects ambiguous or missing alternatives.'),
  builtin('schema/pattern', 'error', 'The string does not match the pattern its schema requires.', 'The API server rejects it.'),
  builtin('schema/required', 'error', 'A required field is missing or has no value.', 'The API server rejects objects without their required fields (e.g. a container without `name`).'),
  builtin('schema/type', 'error', 'The value has the wrong type (e.g. the string "3" for an integer, or `yes` read as a boolean).', 'The API server cannot decode a value of the wrong type; YAML 1.1 reads yes/no/on/off as booleans, which surprises many authors.'),
  builtin('schema/unknown-field', 'error', 'The field does not exist in the Kubernetes (or CRD) schema; usually a typo.', 'With strict field validation (kubectl\'s default) the API server rejects unknown fields; without it, it silently drops them, so a misspelt `livenessProbe` never runs.'),
  builtin('schema/uniqueItems', 'error', 'The list has duplicate items.', 'The API server enforces it.'),
  builtin('yaml/alias-limit', 'error', 'Aliases expand the document beyond a safe size (an alias bomb).', 'Expanding it would exhaust memory; such input is rejected instead of validated.'),
  builtin('yaml/duplicate-key', 'error', 'A mapping defines the same key twice.',
    'kubectl (`apply`, `create`, `replace` with -f) keeps only the last value of a duplicate key and silently drops the earlier one, so the object applied is not the one you read (two `requests:` lose the CPU request); the API server never sees the duplicate. kustomize, and so `kubectl apply -k`, rejects the file. A key that overrides one merged in with `<<` is not a duplicate.'),
  builtin('yaml/encoding', 'error', 'The file is binary or not valid UTF-8/UTF-16 text.', 'It cannot be a manifest; kgov reports it instead of guessing.'),
  builtin('yaml/lenient-indentation', 'info', 'A quoted string or flow collection continues on a line indented less than YAML 1.2 requires; kubectl accepts it.',
    'kubectl reads YAML with go-yaml, a port of libyaml, which ignores indentation inside quoted strings and flow collections, so kgov validates such files as kubectl loads them. Strict YAML 1.2 parsers (many editors and YAML libraries) reject them; indent the continuation lines past the parent key to make the file portable.'),
  builtin('yaml/invalid-key', 'error', 'A mapping key cannot be converted to JSON (an empty key or a collection as a key).', 'The API server receives JSON, where keys are strings.'),
  builtin('yaml/syntax', 'error', 'The YAML cannot be parsed.', 'Nothing in a document with a syntax error can be applied.'),
  builtin('yaml/too-deep', 'warning', 'Collections nest more than 200 levels deep; kgov does not validate the document.',
    'Real manifests nest at most about 40 levels; input this deep is generated or hostile, and kgov stops composing it rather than spend the stack. kubectl may still apply it (Kubernetes decodes up to 10,000 levels), so this is a warning that the document went unchecked, not an error.'),
  builtin('yaml/too-large', 'warning', 'The file is larger than kgov validates (16 MiB by default); it is skipped.',
    'Manifests of that size are generated bundles; parsing them would stall the editor. Split the file or audit it with a higher limit.'),
  builtin('yaml/template', 'info', 'The file contains template directives ({{ ... }}) outside string values; it is skipped.', 'Helm and other Go templates are not YAML until rendered; validate the rendered output (helm template | kgov audit -).'),
];

/**
 * The catalog's ids for checks the engine performs itself: they name the families of schema and API findings,
 * so `schema-conformance: off` or `kgov.io/ignore: no-deprecated-api-version` work as people expect.
 */
export const UMBRELLAS: readonly BuiltinMeta[] = [
  {
    id: 'no-deprecated-api-version', family: 'api', defaultSeverity: 'warning',
    summary: 'The apiVersion is neither deprecated nor removed for the target Kubernetes version (api/deprecated, api/removed).',
    rationale: 'Removed APIs cannot be applied, deprecated ones stop working on a later upgrade. kgov derives both from the bundled OpenAPI documents of Kubernetes 1.28 to 1.36 and offers the apiVersion upgrade as a fix where the new schema accepts the same fields.',
    covers: ['api/deprecated', 'api/removed'], aliases: { kubeScore: ['stable-version'], kubeLinter: ['no-extensions-v1beta'] },
  },
  {
    id: 'schema-conformance', family: 'schema', defaultSeverity: 'error',
    summary: 'The resource conforms to the Kubernetes (or CRD) schema of the target version, strictly: no unknown fields (all schema/* findings).',
    rationale: 'The API server rejects what does not match its schema under strict field validation. kgov validates against the official OpenAPI documents of the selected version and the CRDs in the workspace, with typo fixes for unknown fields and enum values.',
    covers: ['schema/*'], aliases: { kubeLinter: ['schema-validation'] },
  },
];

/** The umbrella id that covers a finding id, if any. */
export function umbrellaOf(ruleId: string): string | undefined {
  // Asked for every finding: answered once per id.
  if (umbrellas.has(ruleId)) return umbrellas.get(ruleId);
  const family = ruleId.includes('/') ? `${ruleId.slice(0, ruleId.indexOf('/'))}/*` : undefined;
  const umbrella = UMBRELLAS.find((u) => u.covers?.includes(ruleId) || (family !== undefined && u.covers?.includes(family)))?.id;
  umbrellas.set(ruleId, umbrella);
  return umbrella;
}

const umbrellas = new Map<string, string | undefined>();

export const BUILTIN_BY_ID = new Map([...BUILTINS, ...UMBRELLAS].map((b) => [b.id, b]));

/** Schema keywords without their own entry fall back to schema/<keyword> at error severity. */
export function builtinMeta(id: string): BuiltinMeta {
  return BUILTIN_BY_ID.get(id) ?? builtin(id, 'error', 'The value does not satisfy its schema.', 'The API server rejects it.');
}
