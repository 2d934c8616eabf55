/** JSON Schemas of the options several rules share (`requireDefined`, quantities). */

/** The options of the cross-resource rules that skip references when the workspace holds none of the referenced kind. */
export interface RequireDefinedOptions {
  requireDefined: boolean;
}

/** The JSON Schema of a `requireDefined` option; each rule says what it checks anyway. */
export function requireDefinedOption(description: string): { type: 'boolean'; description: string } {
  return { type: 'boolean', description };
}

/** The `requireDefined` option of the rules that check references to Services and workloads. */
export const REQUIRE_DEFINED_OPTION = requireDefinedOption(
  'Check even when the workspace holds none of the referenced kind (by default such references are not checked, because the objects may be managed elsewhere).',
);

/** JSON Schema of a quantity option ("100m", "512Mi", 2). */
export const QUANTITY_OPTION = { type: ['string', 'number'], pattern: '^[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([KMGTPE]i|[numkMGTPE]|[eE][+-]?\\d+)?$' };

/** The options of the RBAC rules that leave some objects alone by name (the cluster's own roles and bindings). */
export interface ExemptNamesOptions {
  exemptNames: string[];
}

/** JSON Schema of `exemptNames`: exact names, or prefixes ending in `*` (`system:*`). */
export const EXEMPT_NAMES_OPTION = {
  type: 'array', items: { type: 'string', minLength: 1 },
  description: 'Names of objects the rule does not report: exact names, or a prefix followed by `*` (`system:*`). Polaris leaves the cluster\'s `system:` roles and bindings alone.',
};

/** Whether a name is one of `patterns` (exact, or `prefix*`). */
export function isExemptName(name: string | undefined, patterns: readonly string[]): boolean {
  if (name === undefined) return false;
  return patterns.some((p) => (p.endsWith('*') ? name.startsWith(p.slice(0, -1)) : name === p));
}
