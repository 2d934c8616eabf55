/**
 * Helm charts in the real editor: a chart's templates/deployment.yaml shows the findings of the rendered
 * Deployment on the template lines that wrote them, rendered by the real helm 4 of the test tools
 * (.cache/tools, unpacked by test/helpers/real-tools.ts). The chart is written into the workspace by the test and
 * removed afterwards, so the other suites never see it.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { findingsWhen, kgov, open, span, workspaceRoot } from './util';

/** The helm of the test tools: <repo>/.cache/tools/<hash>/helm/helm (this bundle runs from <repo>/test/out/e2e/exthost). */
function testHelm(): string | undefined {
  const tools = path.resolve(__dirname, '../../../../.cache/tools');
  if (!fs.existsSync(tools)) return undefined;
  for (const dir of fs.readdirSync(tools)) {
    const helm = path.join(tools, dir, 'helm/helm');
    if (fs.existsSync(path.join(tools, dir, '.complete')) && fs.existsSync(helm)) return helm;
  }
  return undefined;
}

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .Release.Name }}-web
spec:
  replicas: {{ .Values.replicas }}
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
        - name: web
          image: "{{ .Values.image }}"
          imagePullPolicy: {{ .Values.pullPolicy }}
`;

suite('helm charts', () => {
  let chart = '';

  suiteSetup(async function () {
    const helm = testHelm();
    if (!helm) {
      // Locally without the unpacked tools; CI (KGOV_REQUIRE_TOOLS=1) unpacks them first.
      if (process.env.KGOV_REQUIRE_TOOLS === '1') throw new Error('helm of .cache/tools not found');
      this.skip();
    }
    await kgov();
    await vscode.workspace.getConfiguration('kgov').update('helm.path', helm, vscode.ConfigurationTarget.Workspace);
    chart = path.join(workspaceRoot().fsPath, 'charts/web');
    fs.mkdirSync(path.join(chart, 'templates'), { recursive: true });
    fs.writeFileSync(path.join(chart, 'Chart.yaml'), 'apiVersion: v2\nname: web\nversion: 0.1.0\n');
    fs.writeFileSync(path.join(chart, 'values.yaml'), 'replicas: 2\nimage: ghcr.io/example/web:1.4.0\npullPolicy: always\n');
    fs.writeFileSync(path.join(chart, 'templates/deployment.yaml'), DEPLOYMENT);
  });

  suiteTeardown(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    if (chart) fs.rmSync(path.join(workspaceRoot().fsPath, 'charts'), { recursive: true, force: true });
    await vscode.workspace.getConfiguration('kgov').update('helm.path', undefined, vscode.ConfigurationTarget.Workspace);
  });

  test('templates/deployment.yaml: the rendered Deployment\'s findings at the template lines', async () => {
    const { document: doc } = await open('charts/web/templates/deployment.yaml');
    const found = await findingsWhen(doc.uri, (f) => {
      const rules = new Map(f.map((x) => [x.rule, x.range]));
      // A value from values.yaml that the API server rejects: on the template key that it fills.
      assert.deepEqual(rules.get('schema/enum'), span(doc, /^\s+(imagePullPolicy):/dm));
      // Container findings on the container the template writes (its literal name, as in a plain manifest).
      assert.deepEqual(rules.get('run-as-non-root'), span(doc, /^\s+- name: (web)$/dm));
      assert.ok(!rules.has('yaml/template'), 'the template gets no YAML noise');
    }, 60000);
    assert.match(found.find((f) => f.rule === 'schema/enum')?.message ?? '', /"always"/);
    const related = vscode.languages.getDiagnostics(doc.uri).find((d) => d.message.includes('"always"'))?.relatedInformation ?? [];
    assert.ok(related.some((r) => r.location.uri.fsPath.endsWith(path.join('charts', 'web', 'values.yaml')) && r.location.range.start.line === 2),
      'the values.yaml line is related information');
  });
});
