/**
 * The snippets of snippets/kubernetes.code-snippets, expanded the way VS Code inserts them when the user accepts
 * every placeholder's default, are valid for every bundled Kubernetes version and clean under `recommended`.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { createEngine } from '../server/src/engine/engine';
import { SchemaCatalog } from '../server/src/engine/schema/catalog';
import { Workspace } from '../server/src/engine/workspace';
import { schemasDir } from '../server/src/host/paths';
import { BUNDLED_VERSIONS } from '../server/src/shared/settings';
import { expandDefaults } from './helpers/snippets';

interface Snippet {
  prefix: string | string[];
  description: string;
  body: string[];
}

const snippets = JSON.parse(readFileSync(resolve(__dirname, '../snippets/kubernetes.code-snippets'), 'utf8')) as Record<string, Snippet>;

const catalog = new SchemaCatalog(schemasDir());
const REQUIRED = ['Deployment', 'StatefulSet', 'DaemonSet', 'CronJob', 'Service', 'Ingress', 'PodDisruptionBudget', 'HorizontalPodAutoscaler', 'NetworkPolicy', 'ServiceAccount', 'Role', 'RoleBinding', 'ConfigMap'];

describe('snippets', () => {
  it('expands snippet syntax as VS Code does', () => {
    assert.equal(expandDefaults('name: ${1:web}\ntype: ${2|ClusterIP,NodePort|}\nx: ${3:a ${4:b}}\n$0'), 'name: web\ntype: ClusterIP\nx: a b\n');
  });

  it('covers every kind the issue names', () => {
    const kinds = new Set(Object.values(snippets).flatMap((s) => [...expandDefaults(s.body.join('\n')).matchAll(/^kind: (\w+)$/gm)].map((m) => m[1])));
    assert.deepEqual(REQUIRED.filter((k) => !kinds.has(k)), []);
  });

  for (const [name, snippet] of Object.entries(snippets)) {
    it(`${name}: valid for Kubernetes ${BUNDLED_VERSIONS[0]}–${BUNDLED_VERSIONS.at(-1)} and clean under recommended`, () => {
      const text = `${expandDefaults(snippet.body.join('\n'))}\n`;
      assert.doesNotMatch(text, /\$\{|\$\d/, 'every placeholder expanded');
      const uri = join('/snippets', `${name}.yaml`);
      for (const kubernetesVersion of BUNDLED_VERSIONS) {
        const engine = createEngine({ schemasDir: schemasDir(), kubernetesVersion, preset: 'recommended' }, catalog);
        const workspace = new Workspace();
        workspace.setFile(uri, engine.index(uri, text));
        const findings = engine.lint(uri, text, workspace).map((f) => `${kubernetesVersion} ${f.range.start.line + 1}: ${f.ruleId} ${f.message}`);
        assert.deepEqual(findings, []);
      }
    });
  }
});
