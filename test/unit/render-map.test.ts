/** Mapping rendered Helm and kustomize output back to the files that wrote it (engine/render/), without the tools. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { helmProblems, mapRenderedFindings, renderedSections, stripOrigins, type Finding } from '../../server/src/engine';
import { outline, walkOutline } from '../../server/src/engine/render/outline';

const template = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "web.fullname" . }}
spec:
  {{- if not .Values.autoscaling.enabled }}
  replicas: {{ .Values.replicaCount }}
  {{- end }}
  template:
    spec:
      containers:
        - name: {{ .Chart.Name }}
          image: "{{ .Values.image.repository }}"
          ports:
          - name: http
            containerPort: 80
        - name: sidecar
          {{- with .Values.sidecar.resources }}
          resources:
            {{- toYaml . | nindent 12 }}
          {{- end }}
          command: |
            run --replicas: 3
`;

const line = (needle: string) => template.split('\n').findIndex((l) => l.includes(needle));

describe('walking a template by its literal keys', () => {
  const doc = outline(template)[0];
  assert.ok(doc);
  const cases: Array<[string, string, boolean]> = [
    ['/spec/replicas', 'replicas:', true],
    ['/metadata/name', '  name: {{ include', true],
    ['/spec/template/spec/containers/0/image', 'image:', true],
    ['/spec/template/spec/containers/0/ports/0/containerPort', 'containerPort', true],
    ['/spec/template/spec/containers/1/resources/limits/memory', 'resources:', false],
    ['/spec/template/spec/containers/1/command', 'command:', true],
    ['/spec/template/spec/containers/2/name', 'containers:', false],
    ['/spec/template/spec/containers/0/securityContext', '- name: {{ .Chart.Name }}', false],
  ];
  for (const [pointer, needle, complete] of cases) {
    it(`${pointer} -> the line with "${needle}"`, () => {
      const walked = walkOutline(doc, pointer);
      assert.equal(walked.line?.line, line(needle));
      assert.equal(walked.complete, complete);
    });
  }
  it('does not read the text of a block scalar as keys', () => {
    assert.equal(walkOutline(doc, '/spec/template/spec/containers/1/command/run --replicas').complete, false);
  });
});

describe('rendered sections and findings', () => {
  const rendered = `---
# Source: web/templates/service.yaml
apiVersion: v1
kind: Service
metadata:
  name: web
---
# Source: web/templates/deployment.yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: "3"
`;
  it('names the chart-relative template of each document', () => {
    assert.deepEqual(renderedSections(rendered).map((s) => s.template), ['templates/service.yaml', 'templates/deployment.yaml']);
  });

  it('puts a finding on the template key and relates the values line', () => {
    const at = rendered.indexOf('"3"');
    const finding: Finding = {
      ruleId: 'schema/type', messageId: 'type', message: 'must be an integer', severity: 'error', docIndex: 1, pointer: '/spec/replicas',
      span: { start: at, end: at + 3 }, range: { start: { line: 13, character: 12 }, end: { line: 13, character: 15 } }, fixable: true,
      fix: { title: 'quote', patch: [] },
    };
    const values = 'replicaCount: "3"\nimage:\n  repository: web\n';
    const [mapped] = mapRenderedFindings(rendered, 'rendered.yaml', [finding], {
      templates: new Map([['templates/deployment.yaml', template]]), values: [{ uri: 'values.yaml', text: values }], uriOf: (p) => `chart/${p}`,
    });
    assert.ok(mapped);
    assert.equal(mapped.uri, 'chart/templates/deployment.yaml');
    assert.equal(mapped.finding.range.start.line, line('replicas:'));
    assert.equal(template.split('\n')[line('replicas:')]?.slice(mapped.finding.range.start.character, mapped.finding.range.end.character), 'replicas');
    assert.equal(mapped.finding.fix, undefined, 'no edit of rendered text');
    assert.deepEqual(mapped.finding.related?.map((r) => [r.uri, r.range.start.line]), [['values.yaml', 0]]);
  });
});

describe("helm's errors", () => {
  it('reads the template and line of helm 4 and helm 3 template errors', () => {
    assert.deepEqual(helmProblems('Error: parse error at (web/templates/cm.yaml:12): unexpected EOF\n').map((p) => [p.kind, p.file, p.line]), [['template', 'templates/cm.yaml', 11]]);
    assert.deepEqual(helmProblems('Error: template: web/templates/deployment.yaml:30:18: executing "web/templates/deployment.yaml" at <.Values.x.y>: nil pointer').map((p) => [p.kind, p.file, p.line]), [['template', 'templates/deployment.yaml', 29]]);
  });
  it('turns missing dependencies into one problem that says what to run', () => {
    const [problem, ...rest] = helmProblems('Error: An error occurred while checking for chart dependencies. You may need to run `helm dependency build` to fetch missing dependencies: found in Chart.yaml, but missing in charts/ directory: redis\n');
    assert.equal(rest.length, 0);
    assert.equal(problem?.kind, 'dependencies');
    assert.match(problem?.message ?? '', /helm dependency build/);
  });
  it('places values that fail values.schema.json on their key', () => {
    const problems = helmProblems("Error: values don't meet the specifications of the schema(s) in the following chart(s):\nweb:\n- at '/policy': got null, want string\n");
    assert.deepEqual(problems.map((p) => [p.kind, p.valuesPath]), [['values', ['policy']]]);
  });
});

describe('kustomize origin annotations', () => {
  it('are taken out of the output, leaving each document its origin', () => {
    const output = `apiVersion: v1
kind: Service
metadata:
  annotations:
    config.kubernetes.io/origin: |
      path: ../base/service.yaml
  name: web
---
apiVersion: v1
kind: ConfigMap
metadata:
  annotations:
    team: web
    config.kubernetes.io/origin: |
      configuredIn: kustomization.yaml
      configuredBy:
        apiVersion: builtin
        kind: ConfigMapGenerator
  name: settings-5h2k
`;
    const { text, sections } = stripOrigins(output);
    assert.ok(!text.includes('config.kubernetes.io/origin'));
    assert.ok(text.includes('    team: web'));
    assert.ok(!/annotations:\n {2}name: web/.test(text) && !text.startsWith('apiVersion: v1\nkind: Service\nmetadata:\n  annotations:'));
    assert.deepEqual(sections.map((s) => [s.kind, s.name, s.origin]), [
      ['Service', 'web', { path: '../base/service.yaml' }],
      ['ConfigMap', 'settings-5h2k', { configuredIn: 'kustomization.yaml', configuredBy: 'ConfigMapGenerator' }],
    ]);
  });
});
