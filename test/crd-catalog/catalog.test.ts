/**
 * kgov's CRD catalog (schemas/crds/): every served version of every catalog kind validates, with no CRD in the
 * workspace, (1) a valid resource without a schema or api finding and (2) the same resource with a misspelled key
 * with exactly one schema/unknown-field, on that key. Valid resources are the upstream projects' own samples
 * (test/crd-catalog/samples/, PROVENANCE.md) where there is one, else written from the schema (synthesize.ts).
 * Upstream samples with genuine findings (stale examples) are listed with the reason in expected-findings.json.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { stringify } from 'yaml';
import { createEngine } from '../../server/src/engine/engine';
import { RULES } from '../../server/src/engine/rules';
import type { Finding } from '../../server/src/engine/types';
import { schemasDir } from '../../server/src/host/paths';
import { catalogIndex, catalogKinds } from './catalog-kinds';
import { synthesizeResource, Unsynthesizable } from './synthesize';

type Schema = Record<string, unknown>;

const SAMPLES = resolve(__dirname, 'samples');
const isSchema = (v: unknown): v is Schema => typeof v === 'object' && v !== null && !Array.isArray(v);

function yamlFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).sort().flatMap((n) => {
    const path = join(dir, n);
    return statSync(path).isDirectory() ? yamlFiles(path) : /\.ya?ml$/.test(n) ? [path] : [];
  });
}

const engine = createEngine({ schemasDir: schemasDir(), ruleOverrides: Object.keys(RULES).map((id) => ({ id, severity: 'off' as const })) });
const schemaOrApi = (findings: Finding[]) => findings.filter((f) => f.ruleId.startsWith('schema/') || f.ruleId.startsWith('api/'));
/** A version its CRD deprecates gets that one finding, on apiVersion, and nothing else. */
const withoutDeprecation = (findings: Finding[], deprecated: boolean) => {
  const notice = findings.filter((f) => f.ruleId === 'api/deprecated');
  assert.equal(notice.length, deprecated ? 1 : 0, findings.map(describeFinding).join('\n'));
  return findings.filter((f) => f.ruleId !== 'api/deprecated');
};
const describeFinding = (f: Finding) => `${f.range.start.line + 1}:${f.range.start.character + 1} ${f.ruleId} ${f.message}`;

/** Where a misspelled key goes: `spec` when its schema rejects unknown fields, else the root, else metadata. */
function typoTarget(schema: Schema | undefined, resource: Record<string, unknown>): { path: string[]; key: string } {
  const strict = (s: unknown): s is Schema => isSchema(s) && isSchema(s.properties) && Object.keys(s.properties).length > 0
    && s['x-kubernetes-preserve-unknown-fields'] !== true && s.additionalProperties === undefined;
  const spec = isSchema(schema?.properties) ? schema.properties.spec : undefined;
  if (strict(spec) && isSchema(resource.spec)) return { path: ['spec'], key: `${Object.keys(spec.properties as Schema)[0]}Typo` };
  if (strict(schema) && isSchema(schema.properties) && Object.keys(schema.properties).some((k) => !['apiVersion', 'kind', 'metadata', 'status'].includes(k))) {
    return { path: [], key: 'spce' };
  }
  return { path: ['metadata'], key: 'lables' };
}

const samplesByKind = new Map<string, Array<{ file: string; index: number; text: string }>>();
for (const file of yamlFiles(SAMPLES)) {
  const text = readFileSync(file, 'utf8');
  text.split(/^---[ \t]*$/m).forEach((doc, index) => {
    const apiVersion = /^apiVersion:\s*["']?([^\s"'#]+)/m.exec(doc)?.[1];
    const kind = /^kind:\s*["']?([^\s"'#]+)/m.exec(doc)?.[1];
    if (apiVersion && kind) samplesByKind.set(`${apiVersion}/${kind}`, [...(samplesByKind.get(`${apiVersion}/${kind}`) ?? []), { file, index, text: doc }]);
  });
}
const expected = existsSync(join(__dirname, 'expected-findings.json'))
  ? (JSON.parse(readFileSync(join(__dirname, 'expected-findings.json'), 'utf8')) as Record<string, Array<{ finding: string; reason: string }>>) : {};

const kinds = catalogKinds();

describe('CRD catalog', () => {
  it('covers at least 40 projects and 400 kinds', () => {
    const groups = Object.values(catalogIndex());
    const projects = new Set(groups.flatMap((g) => g.projects.map((p) => p.split(' ')[0])));
    const kindCount = groups.reduce((n, g) => n + Object.keys(g.kinds).length, 0);
    assert.ok(projects.size >= 40, `${projects.size} projects`);
    assert.ok(kindCount >= 400, `${kindCount} kinds`);
  });

  it('upstream samples: findings only where expected-findings.json says why', () => {
    const unexpected: string[] = [];
    const missing: string[] = [];
    for (const file of yamlFiles(SAMPLES)) {
      const name = relative(SAMPLES, file);
      // A version its CRD deprecates is checked above, kind by kind.
      const got = schemaOrApi(engine.lint(file, readFileSync(file, 'utf8'))).filter((f) => f.ruleId !== 'api/deprecated').map(describeFinding);
      const want = (expected[name] ?? []).map((e) => e.finding);
      unexpected.push(...got.filter((g) => !want.includes(g)).map((g) => `${name}:${g}`));
      missing.push(...want.filter((w) => !got.includes(w)).map((w) => `${name}:${w}`));
    }
    assert.deepEqual({ unexpected, missing }, { unexpected: [], missing: [] });
  });

  for (const [key, { apiVersion, kind, namespaced, deprecated, schema }] of kinds) {
    it(`${key}: valid resource clean, misspelled key found`, () => {
      const sample = samplesByKind.get(key)?.[0];
      let text: string;
      let resource: Record<string, unknown>;
      if (sample && !expected[relative(SAMPLES, sample.file)]) {
        text = sample.text;
        resource = engine.analyze('sample.yaml', text).documents[0]?.value as Record<string, unknown>;
      } else {
        try {
          resource = synthesizeResource(schema, apiVersion, kind, namespaced);
        } catch (error) {
          if (error instanceof Unsynthesizable) assert.fail(`no upstream sample, and the schema cannot be synthesized: ${error.message}`);
          throw error;
        }
        text = stringify(resource);
      }
      assert.deepEqual(withoutDeprecation(schemaOrApi(engine.lint('valid.yaml', text)), deprecated).map(describeFinding), [], text);

      const { path, key: typo } = typoTarget(schema, resource);
      const broken = structuredClone(resource);
      let parent = broken as Record<string, unknown>;
      for (const segment of path) parent = (parent[segment] ??= {}) as Record<string, unknown>;
      parent[typo] = 'x';
      const brokenText = stringify(broken);
      const findings = withoutDeprecation(schemaOrApi(engine.lint('typo.yaml', brokenText)), deprecated);
      const line = brokenText.split('\n').findIndex((l) => l.trimStart().startsWith(`${typo}:`));
      const column = (brokenText.split('\n')[line] as string).indexOf(typo);
      assert.deepEqual(findings.map((f) => [f.ruleId, f.range.start.line, f.range.start.character, f.range.end.character]),
        [['schema/unknown-field', line, column, column + typo.length]], `${brokenText}\n${findings.map(describeFinding).join('\n')}`);
    });
  }
});
