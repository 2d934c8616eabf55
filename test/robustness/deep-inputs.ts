/**
 * The deepest documents kgov still composes and validates (MAX_DEPTH levels), in every shape that makes some
 * part of kgov recurse once per level: block and flow collections, mappings, a CRD whose schema nests through
 * `properties` and through `allOf`, and a custom resource of it.
 */
import { MAX_DEPTH } from '../../server/src/engine/yaml/compose';

const HEAD = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: deep\n';

function crd(body: (levels: number) => string, levels: number): string {
  return 'apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: deeps.fuzz.io\nspec:\n  group: fuzz.io\n'
    + '  scope: Namespaced\n  names: {kind: Deep, plural: deeps}\n  versions:\n    - name: v1\n      served: true\n      storage: true\n'
    + `      schema:\n        openAPIV3Schema:\n${body(levels)}`;
}

/** `type: object / properties: / a:` per level: two YAML levels per schema level. */
function nestedProperties(levels: number): string {
  let text = '';
  let indent = 10;
  for (let i = 0; i < levels; i++) {
    text += `${' '.repeat(indent)}type: object\n${' '.repeat(indent)}properties:\n${' '.repeat(indent + 2)}a:\n`;
    indent += 4;
  }
  return `${text}${' '.repeat(indent)}type: string\n`;
}

/** `allOf: [- allOf: [...]]`: two YAML levels per schema level, through a list. */
function nestedAllOf(levels: number): string {
  let text = `${' '.repeat(10)}allOf:\n`;
  let indent = 10;
  for (let i = 1; i < levels; i++) {
    text += `${' '.repeat(indent)}- allOf:\n`;
    indent += 2;
  }
  return `${text}${' '.repeat(indent)}- type: object\n`;
}

/** Documents nested as deep as kgov validates, each with the margin its own wrapper needs. */
export function deepInputs(): Array<{ name: string; text: string }> {
  const levels = MAX_DEPTH - 12;
  const schemaLevels = Math.floor(levels / 2) - 4;
  let properties = 'a:\n';
  for (let i = 1; i < schemaLevels; i++) properties += `${' '.repeat(2 * i)}a:\n`;
  return [
    // A key after the deep part makes the `yaml` Parser close every level at once.
    { name: 'block sequences', text: `${HEAD}x:\n${Array.from({ length: levels }, (_, i) => `${' '.repeat(i)}-\n`).join('')}after: 1\n` },
    { name: 'compact sequences', text: `${HEAD}x:\n${'- '.repeat(levels)}1\nafter: 1\n` },
    { name: 'block mappings', text: `${HEAD}x:\n${Array.from({ length: levels }, (_, i) => `${' '.repeat(i + 1)}k${i}:\n`).join('')}after: 1\n` },
    { name: 'block sequences far too deep', text: `${HEAD}x:\n${Array.from({ length: 3000 }, (_, i) => `${' '.repeat(i)}-\n`).join('')}after: 1\n` },
    // `- ` inside a flow collection is an error, but the `yaml` Parser nests a block sequence for each (fuzz input 65818).
    { name: 'block entries inside a flow sequence, far too deep', text: `${HEAD}x: [a, *b:\n${Array.from({ length: 3000 }, (_, i) => `${' '.repeat(i)}-\n`).join('')}1]\nafter: 1\n` },
    { name: 'flow sequences', text: `${HEAD}x: ${'['.repeat(levels)}${']'.repeat(levels)}\n` },
    { name: 'flow mappings', text: `${HEAD}x: ${'{a: '.repeat(levels)}1${'}'.repeat(levels)}\n` },
    { name: 'a CRD nesting properties', text: crd(nestedProperties, schemaLevels) },
    { name: 'a CRD nesting allOf', text: crd(nestedAllOf, schemaLevels) },
    { name: 'a custom resource of a deep CRD', text: `${crd(nestedProperties, schemaLevels)}---\napiVersion: fuzz.io/v1\nkind: Deep\nmetadata:\n  name: d\n${properties}${' '.repeat(2 * schemaLevels)}1\n` },
  ];
}
