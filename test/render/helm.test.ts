/**
 * `kgov audit` of Helm charts with the real helm 4 (test/helpers/real-tools.ts): `helm create`'s scaffold, three
 * public charts (fixtures/charts/, provenance beside each) and broken charts. Findings of the rendered output
 * must land on the template line that wrote them, helm's errors at the line or key they name.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parseArgs, type AuditArgs } from '../../server/src/cli/args';
import { audit } from '../../server/src/cli/audit';
import type { FileReport } from '../../server/src/cli/report';
import { realTools, realToolsUnavailable } from '../helpers/real-tools';
import { skipWithout } from '../helpers/required';

const skip = skipWithout(realToolsUnavailable());
const fixtures = resolve(__dirname, 'fixtures');
const scratch = mkdtempSync(join(tmpdir(), 'kgov-helm-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

async function run(argv: string[], cwd = scratch): Promise<{ files: FileReport[]; stderr: string }> {
  let stderr = '';
  const report = await audit(parseArgs(['audit', ...argv]) as AuditArgs, {
    cwd, readStdin: () => '', entry: '', stderr: (text) => { stderr += text; },
  });
  return { files: report.files, stderr };
}

/** The zero-based line of the first line of `file` that contains `needle`. */
function lineOf(file: string, needle: string, from = 0): number {
  const lines = readFileSync(file, 'utf8').split('\n');
  const at = lines.findIndex((l, i) => i >= from && l.includes(needle));
  assert.ok(at >= 0, `${needle} not in ${file}`);
  return at;
}

function report(files: FileReport[], path: string): FileReport {
  const found = files.find((f) => f.path === path);
  assert.ok(found, `no report for ${path}; reports: ${files.map((f) => f.path).join(', ')}`);
  return found;
}

/** Every finding sits on text of its own file: a key, a value or an item, never past the end. */
function assertOnText(file: FileReport): void {
  const lines = readFileSync(file.path, 'utf8').split('\n');
  for (const f of file.findings) {
    const line = lines[f.range.start.line];
    assert.ok(line !== undefined, `${file.display}: ${f.ruleId} on line ${f.range.start.line + 1} of ${lines.length}`);
    const text = line.slice(f.range.start.character, f.range.end.line === f.range.start.line ? f.range.end.character : undefined);
    assert.ok(text.trim().length > 0, `${file.display}:${f.range.start.line + 1}: ${f.ruleId} on blank text`);
  }
}

describe('Helm charts rendered with the real helm', { skip }, () => {
  let helm = '';
  before(() => {
    helm = realTools().helm;
  });

  it('takes a relative --helm path from where kgov runs (helm itself runs in the chart\'s folder)', async () => {
    const chart = join(fixtures, 'charts/podinfo');
    const absolute = await run([chart, '--helm', helm]);
    const relativeHelm = relative(scratch, helm);
    assert.ok(relativeHelm.includes('/'), relativeHelm);
    const fromScratch = await run([chart, '--helm', relativeHelm], scratch);
    assert.equal(fromScratch.stderr, '');
    assert.ok(absolute.files.length > 0);
    assert.deepEqual(fromScratch.files.map((f) => [f.path, f.findings.length]), absolute.files.map((f) => [f.path, f.findings.length]));
  });

  it("puts the scaffold's Deployment findings on the template lines that wrote them", async () => {
    execFileSync(helm, ['create', 'web'], { cwd: scratch, env: { PATH: process.env.PATH, HOME: scratch, HELM_PLUGINS: join(scratch, 'none') } });
    const chart = join(scratch, 'web');
    const { files, stderr } = await run([chart, '--helm', helm]);
    assert.equal(stderr, '');
    const deployment = report(files, join(chart, 'templates/deployment.yaml'));
    const template = join(chart, 'templates/deployment.yaml');
    const container = lineOf(template, '- name: {{ .Chart.Name }}');
    const rootUser = deployment.findings.find((f) => f.ruleId === 'run-as-non-root');
    assert.ok(rootUser, 'run-as-non-root reported');
    assert.equal(rootUser.range.start.line, container);
    // The key, not the directive that fills its value.
    assert.equal(readFileSync(template, 'utf8').split('\n')[container]?.slice(rootUser.range.start.character, rootUser.range.end.character), 'name');
    const probes = deployment.findings.find((f) => f.ruleId === 'probes-not-identical');
    assert.ok(probes);
    assert.equal(probes.range.start.line, lineOf(template, 'livenessProbe:'));
    // Filled by `{{- with .Values.livenessProbe }}`: the values line is related information.
    assert.deepEqual(probes.related?.map((r) => [r.uri, r.range.start.line]), [[join(chart, 'values.yaml'), lineOf(join(chart, 'values.yaml'), 'livenessProbe:')]]);
    // Templates are no longer skipped as templates, and no finding is left on the rendered text.
    assert.ok(files.every((f) => f.findings.every((x) => x.ruleId !== 'yaml/template')));
    assert.ok(files.every((f) => !f.path.includes('.kgov-rendered')));
    for (const f of files) assertOnText(f);
    assert.ok(deployment.documents === 1);
  });

  it('keeps the one-info behaviour when helm cannot be started', async () => {
    const { files, stderr } = await run([join(fixtures, 'broken/invalid-object'), '--helm', join(scratch, 'no-such-helm')]);
    assert.match(stderr, /helm was not found/);
    const template = report(files, join(fixtures, 'broken/invalid-object/templates/deployment.yaml'));
    assert.deepEqual(template.findings.map((x) => x.ruleId), ['yaml/template']);
  });

  it('shows values that make an invalid object on the template key, with the values line', async () => {
    const chart = join(fixtures, 'broken/invalid-object');
    const template = join(chart, 'templates/deployment.yaml');
    const { files } = await run([chart, '--helm', helm]);
    const deployment = report(files, template);
    const replicas = deployment.findings.find((f) => f.ruleId === 'schema/type');
    assert.ok(replicas);
    assert.equal(replicas.range.start.line, lineOf(template, 'replicas:'));
    assert.deepEqual(replicas.related?.map((r) => r.range.start.line), [lineOf(join(chart, 'values.yaml'), 'replicas:')]);
    const memory = deployment.findings.find((f) => f.ruleId === 'schema/format');
    assert.ok(memory, 'the values memory quantity "1 Gi" is invalid');
    assert.equal(memory.range.start.line, lineOf(template, '  resources:'));
    assert.deepEqual(memory.related?.map((r) => r.range.start.line), [lineOf(join(chart, 'values.yaml'), 'resources:')]);
    // A literal value in the template: the range is the value itself; no fix edits rendered text.
    const pullPolicy = deployment.findings.find((f) => f.ruleId === 'schema/enum');
    assert.ok(pullPolicy);
    assert.equal(pullPolicy.range.start.line, lineOf(template, 'imagePullPolicy: always'));
    assert.equal(readFileSync(template, 'utf8').split('\n')[pullPolicy.range.start.line]?.slice(pullPolicy.range.start.character, pullPolicy.range.end.character), 'always');
    assert.ok(deployment.findings.every((f) => !f.fix && !f.fixable));
  });

  it('honours a waiver comment written in the template, and offers no edit of the rendered document', async () => {
    const chart = join(scratch, 'waived');
    cpSync(join(fixtures, 'broken/invalid-object'), chart, { recursive: true });
    const template = join(chart, 'templates/deployment.yaml');
    writeFileSync(template, readFileSync(template, 'utf8').replace('        - name: web', '        # kgov-disable-next-line run-as-non-root -- the image runs as its own user\n        - name: web'));
    const { files } = await run([chart, '--helm', helm]);
    const deployment = report(files, template);
    const waived = deployment.findings.find((f) => f.ruleId === 'run-as-non-root');
    assert.ok(waived?.suppressed, 'the waiver reaches the rendered text');
    assert.equal(waived.range.start.line, lineOf(template, '- name: web'));
    assert.ok(deployment.findings.some((f) => f.ruleId === 'schema/enum' && !f.suppressed));
    // "Ignore for this object" would name a document of the rendered text: not offered.
    assert.ok(deployment.findings.every((f) => f.resourcePointer === undefined && f.fix === undefined));
  });

  it("reports helm's template error at the line it names", async () => {
    const chart = join(fixtures, 'broken/template-error');
    const { files } = await run([chart, '--helm', helm]);
    const findings = files.flatMap((f) => f.findings.map((x) => ({ path: f.path, ...x })));
    assert.equal(findings.length, 1);
    assert.equal(findings[0]?.ruleId, 'helm/render-error');
    assert.equal(findings[0]?.path, join(chart, 'templates/configmap.yaml'));
    assert.equal(findings[0]?.range.start.line, lineOf(join(chart, 'templates/configmap.yaml'), 'mode:'));
    assert.match(findings[0]?.message ?? '', /unexpected EOF/);
  });

  it('reports missing dependencies once, on Chart.yaml, with the command to run', async () => {
    const chart = join(fixtures, 'broken/missing-dependency');
    const { files } = await run([chart, '--helm', helm]);
    const findings = files.flatMap((f) => f.findings.map((x) => ({ path: f.path, ...x })));
    assert.equal(findings.length, 1);
    assert.equal(findings[0]?.ruleId, 'helm/missing-dependencies');
    assert.equal(findings[0]?.path, join(chart, 'Chart.yaml'));
    assert.equal(findings[0]?.range.start.line, lineOf(join(chart, 'Chart.yaml'), 'dependencies:'));
    assert.match(findings[0]?.message ?? '', /helm dependency build/);
  });

  it('external-dns: a values schema error at the values key; value sets from .kgov.yaml render it', async () => {
    const chart = join(scratch, 'repo/charts/external-dns');
    cpSync(join(fixtures, 'charts/external-dns'), chart, { recursive: true });
    const bare = await run([chart, '--helm', helm]);
    const values = report(bare.files, join(chart, 'values.yaml'));
    assert.deepEqual(values.findings.map((f) => [f.ruleId, f.range.start.line]), [['helm/render-error', lineOf(join(chart, 'values.yaml'), 'policy:')]]);
    assert.match(values.findings[0]?.message ?? '', /\/policy/);

    writeFileSync(join(scratch, 'repo/.kgov.yaml'), [
      'charts:', '  charts/external-dns:',
      '    - name: dev', '      set: { policy: sync }',
      '    - name: prod', '      set: { policy: upsert-only, interval: 5m }', '      namespace: dns', '',
    ].join('\n'));
    const { files, stderr } = await run([join(scratch, 'repo'), '--helm', helm]);
    assert.equal(stderr, '');
    const deployment = report(files, join(chart, 'templates/deployment.yaml'));
    assert.equal(deployment.documents, 2, 'one Deployment per value set');
    for (const f of files) assertOnText(f);
    assert.ok(files.every((f) => f.findings.every((x) => x.ruleId !== 'helm/render-error')));
  });

  for (const name of ['podinfo', 'descheduler']) {
    it(`${name}: renders, and every finding is on its template's text`, async () => {
      const chart = join(fixtures, 'charts', name);
      const { files, stderr } = await run([chart, '--helm', helm]);
      assert.equal(stderr, '');
      assert.ok(files.length >= 3, `${files.length} files`);
      assert.ok(files.every((f) => f.path.startsWith(chart + '/')));
      assert.ok(files.some((f) => f.path.endsWith('templates/deployment.yaml') || f.path.endsWith('templates/cronjob.yaml')));
      for (const f of files) assertOnText(f);
    });
  }

  it('the bundled CLI carries template paths and lines in text, JSON and SARIF', () => {
    const chart = join(fixtures, 'broken/invalid-object');
    const cli = resolve(__dirname, '../../server/out/cli.js');
    const kgov = (format: string) => spawnSync(process.execPath, [cli, 'audit', 'broken/invalid-object', '--helm', helm, '--format', format], { cwd: fixtures, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    const line = lineOf(join(chart, 'templates/deployment.yaml'), 'replicas:') + 1;
    const text = kgov('text');
    assert.equal(text.status, 1);
    assert.match(text.stdout, new RegExp(`^broken/invalid-object/templates/deployment\\.yaml:${line}:3 error schema/type `, 'm'));
    const json = JSON.parse(kgov('json').stdout) as { files: Array<{ path: string; findings: Array<{ ruleId: string; range: { start: { line: number } } }> }> };
    const file = json.files.find((f) => f.path === 'broken/invalid-object/templates/deployment.yaml');
    assert.equal(file?.findings.find((f) => f.ruleId === 'schema/type')?.range.start.line, line - 1);
    const sarif = JSON.parse(kgov('sarif').stdout) as { runs: Array<{ results: Array<{ ruleId: string; locations: Array<{ physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }> }> }> };
    const result = sarif.runs[0]?.results.find((r) => r.ruleId === 'schema/type')?.locations[0]?.physicalLocation;
    assert.deepEqual([result?.artifactLocation.uri, result?.region.startLine], ['broken/invalid-object/templates/deployment.yaml', line]);
  });

  it('podinfo with values-prod.yaml: a finding of only one value set says which', async () => {
    const repo = join(scratch, 'podinfo-repo');
    cpSync(join(fixtures, 'charts/podinfo'), join(repo, 'chart'), { recursive: true });
    writeFileSync(join(repo, '.kgov.yaml'), 'charts:\n  chart:\n    - name: default\n    - name: prod\n      valuesFiles: [values-prod.yaml]\n');
    const { files } = await run([repo, '--helm', helm]);
    const deployment = report(files, join(repo, 'chart/templates/deployment.yaml'));
    const memory = deployment.findings.find((f) => f.ruleId === 'memory-limits-set');
    // values.yaml sets no memory limit, values-prod.yaml does: only the default set has the finding.
    assert.ok(memory, deployment.findings.map((f) => f.message).join('\n'));
    assert.match(memory.message, /^\[values: default\] /);
    assert.equal(memory.range.start.line, lineOf(join(repo, 'chart/templates/deployment.yaml'), '          resources:'));
  });
});
