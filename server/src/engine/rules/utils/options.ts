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
