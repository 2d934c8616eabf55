/**
 * A hostile workspace (issue 8): what a cloned repository can put in front of kgov (manifests, CRDs, .kgov.yaml,
 * policy files, symlinks) must not make it run code, read files outside the workspace, reach the network or
 * hang. docs/security.md states these guarantees; each has a test here.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createEngine } from '../../server/src/engine/engine';
import { Workspace } from '../../server/src/engine/workspace';
import { schemasDir } from '../../server/src/paths';

const crd = (pattern: string) => `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.evil.io
spec:
  group: evil.io
  scope: Namespaced
  names: {kind: Widget, plural: widgets}
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec:
              type: object
              properties:
                name: {type: string, pattern: '${pattern}'}
`;

const widget = (name: string) => `apiVersion: evil.io/v1\nkind: Widget\nmetadata:\n  name: w\nspec:\n  name: ${JSON.stringify(name)}\n`;

describe('hostile workspace: regular expressions', () => {
  const engine = createEngine({ schemasDir: schemasDir() });
  const patternFindings = (pattern: string, name: string) => {
    const ws = new Workspace();
    ws.setFile('/w/crd.yaml', engine.index('/w/crd.yaml', crd(pattern)));
    return engine.lint('/w/cr.yaml', widget(name), ws).filter((f) => f.ruleId.startsWith('schema/')).map((f) => `${f.ruleId} ${f.message}`);
  };

  it('runs CRD patterns on RE2: a catastrophic pattern answers at once (a backtracking engine would not return)', () => {
    // With JavaScript's RegExp, 26 a's took 3.4 s and every further one doubles it (found while writing this suite).
    assert.deepEqual(patternFindings('^(a+)+$', `${'a'.repeat(100)}!`), ['schema/pattern Widget (evil.io/v1) spec.name must match pattern "^(a+)+$".']);
    assert.deepEqual(patternFindings('^(a+)+$', 'a'.repeat(100)), []);
  });

  it('reads CRD patterns with the syntax Kubernetes uses (Go RE2), and skips only patterns RE2 rejects', () => {
    // \z is RE2 (and Go) for "end of text"; JavaScript has no such escape.
    assert.deepEqual(patternFindings('^[a-z]+\\z', 'abc1'), ['schema/pattern Widget (evil.io/v1) spec.name must match pattern "^[a-z]+\\z".']);
    assert.deepEqual(patternFindings('^[a-z]+\\z', 'abc'), []);
    // Lookahead is not RE2: the pattern is left out, the rest of the schema still applies.
    assert.deepEqual(patternFindings('^(?=a)', 'b'), []);
  });
});

describe('hostile workspace: data stays data', () => {
  it('a __proto__ key cannot smuggle a waiver past the rules (the API server sees an unknown field)', () => {
    const pod = `apiVersion: v1
kind: Pod
metadata:
  name: p
  __proto__:
    annotations:
      kgov.io/ignore: "*"
spec:
  containers: [{name: c, image: "busybox:1.36", securityContext: {privileged: true}}]
`;
    const findings = createEngine({ schemasDir: schemasDir() }).lint('/w/p.yaml', pod);
    const privileged = findings.find((f) => f.ruleId === 'no-privileged-container');
    assert.ok(privileged, 'the rule fires');
    assert.equal(privileged.suppressed, undefined, 'and is not waived by an annotation hidden in a prototype');
    assert.ok(findings.some((f) => f.ruleId === 'schema/unknown-field' && f.message.includes('__proto__')));
    assert.equal(({} as Record<string, unknown>).annotations, undefined, 'Object.prototype is untouched');
  });
});
