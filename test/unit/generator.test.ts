/** The generated Kubernetes schemas: up to date with the generator, strict, and carrying enums to older versions. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { SchemaCatalog } from '../../server/src/engine/schema/catalog';
import { schemasDir } from '../../server/src/paths';

const shared = resolve(__dirname, '../../../shared/k8s-openapi');
const catalog = new SchemaCatalog(schemasDir());

describe('schema generator', () => {
  it('regenerates exactly the committed schemas', { skip: !existsSync(shared) && 'needs ../shared/k8s-openapi' }, () => {
    const out = mkdtempSync(join(tmpdir(), 'kgov-schemas-'));
    try {
      const result = spawnSync('npx', ['tsx', 'scripts/generate-schemas.ts'], { env: { ...process.env, KGOV_SCHEMAS_OUT: out }, encoding: 'utf8' });
      assert.equal(result.status, 0, result.stderr);
      for (const file of ['index.json', 'definitions.json', 'descriptions.json']) {
        assert.ok(readFileSync(join(out, file)).equals(readFileSync(join(schemasDir(), 'kubernetes', file))), `${file} is stale: run npm run schemas`);
      }
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it('bundles 1.28 to 1.36 with 1.34 as the default', () => {
    assert.deepEqual(catalog.versions, ['1.28', '1.29', '1.30', '1.31', '1.32', '1.33', '1.34', '1.35', '1.36']);
    assert.equal(catalog.defaultVersion, '1.34');
  });

  it('knows which versions serve a kind', () => {
    assert.deepEqual(catalog.kind('flowcontrol.apiserver.k8s.io/v1beta3', 'FlowSchema')?.served, ['1.28', '1.29', '1.30', '1.31']);
    assert.equal(catalog.kind('policy/v1', 'PodDisruptionBudget')?.served.length, 9);
    assert.equal(catalog.kind('v1', 'Pod')?.namespaced, true);
    assert.equal(catalog.kind('v1', 'Namespace')?.namespaced, false);
    assert.equal(catalog.listItem('v1', 'ConfigMapList'), 'v1/ConfigMap');
  });

  it('uses the enum lists of newer versions for older ones', () => {
    const container = (version: string) => catalog.definitionsFor(version).get('io.k8s.api.core.v1.Container') as { properties: Record<string, { enum?: string[] }> };
    assert.deepEqual(container('1.28').properties.imagePullPolicy?.enum, ['Always', 'IfNotPresent', 'Never']);
    assert.deepEqual(container('1.36').properties.imagePullPolicy?.enum, ['Always', 'IfNotPresent', 'Never']);
  });

  it('is strict: every object with properties rejects unknown ones', () => {
    for (const version of catalog.versions) {
      for (const [name, schema] of catalog.definitionsFor(version)) {
        const s = schema as { properties?: object; additionalProperties?: unknown };
        if (s.properties) assert.notEqual(s.additionalProperties, undefined, `${version} ${name}`);
      }
    }
  });

  it('accepts what the API server accepts for int-or-string and quantities', () => {
    const defs = catalog.definitionsFor('1.34');
    assert.deepEqual(defs.get('io.k8s.apimachinery.pkg.util.intstr.IntOrString'), { type: ['integer', 'string'] });
    assert.deepEqual(defs.get('io.k8s.apimachinery.pkg.api.resource.Quantity'), { type: ['string', 'number'], format: 'quantity' });
  });

  it('shares definitions between versions (the package stays small)', () => {
    const bytes = ['index.json', 'definitions.json'].reduce((n, f) => n + readFileSync(join(schemasDir(), 'kubernetes', f)).length, 0);
    assert.ok(bytes < 1_000_000, `${bytes} bytes`);
  });
});
