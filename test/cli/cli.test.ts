/** `kgov` as a user runs it: the bundled CLI (server/out/cli.js) in a child process. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, describe, it } from 'node:test';
import Ajv from 'ajv';

const root = resolve(__dirname, '../..');
const cli = join(root, 'server/out/cli.js');
const fixtures = join(root, 'test/fixtures/cli');
const scratch = mkdtempSync(join(tmpdir(), 'kgov-cli-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

function kgov(args: string[], options: { input?: string; cwd?: string } = {}) {
  const result = spawnSync(process.execPath, [cli, ...args], { cwd: options.cwd ?? root, input: options.input, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const reportSchema = JSON.parse(readFileSync(join(root, 'schemas/kgov-report.schema.json'), 'utf8')) as object;
const validateReport = new Ajv({ allErrors: true }).compile(reportSchema);

describe('kgov CLI', () => {
  it('prints its version and help', () => {
    const version = kgov(['--version']);
    assert.equal(version.code, 0);
    assert.match(version.stdout, /^kgov \d+\.\d+\.\d+\n$/);
    const help = kgov(['--help']);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /kgov audit \[paths\.\.\.\]/);
  });

  it('exits 0 on a clean file and 1 on errors, with compiler-style lines and a summary', () => {
    const clean = kgov(['audit', join(fixtures, 'clean.yaml')]);
    assert.equal(clean.code, 0, clean.stderr);
    assert.match(clean.stdout, /^No problems \(1 file, 1 document, Kubernetes 1\.34\)\.\n$/);
    const broken = kgov(['audit', 'test/fixtures/cli/broken.yaml']);
    assert.equal(broken.code, 1);
    const lines = broken.stdout.trim().split('\n');
    assert.deepEqual(lines.slice(0, -1), [
      'test/fixtures/cli/broken.yaml:9:13 error schema/type Service spec.ports[0].port must be an integer, not the string "80"; remove the quotes.',
      'test/fixtures/cli/broken.yaml:10:7 error schema/unknown-field Unknown field "targetport" in Service spec.ports[0]; did you mean "targetPort"?',
      'test/fixtures/cli/broken.yaml:12:13 error api/removed policy/v1beta1 PodDisruptionBudget is not served by Kubernetes 1.34: it was removed before 1.28, the oldest version kgov bundles; use policy/v1 (kubectl: no matches for kind "PodDisruptionBudget" in version "policy/v1beta1").',
    ]);
    assert.equal(lines.at(-1), '3 problems (3 errors, 0 warnings, 0 info) in 1 file, 2 documents, Kubernetes 1.34.');
  });

  it('honours --fail-on', () => {
    assert.equal(kgov(['audit', join(fixtures, 'broken.yaml'), '--fail-on', 'none']).code, 0);
    assert.equal(kgov(['audit', join(fixtures, 'broken.yaml'), '--fail-on', 'warning']).code, 1);
  });

  it('writes JSON that matches the published report schema', () => {
    const result = kgov(['audit', join(fixtures, 'broken.yaml'), join(fixtures, 'clean.yaml'), '--format', 'json']);
    assert.equal(result.code, 1);
    const report = JSON.parse(result.stdout) as { files: Array<{ findings: Array<{ range: unknown; ruleId: string }> }>; summary: { error: number; files: number } };
    assert.ok(validateReport(report), JSON.stringify(validateReport.errors));
    assert.equal(report.summary.files, 2);
    assert.equal(report.summary.error, 3);
    assert.deepEqual(report.files[0]?.findings[0]?.range, { start: { line: 8, character: 12 }, end: { line: 8, character: 16 } });
  });

  it('writes SARIF with 1-based regions and one descriptor per rule (the SARIF Multitool validates it: test/real-tools)', () => {
    const out = join(scratch, 'report.sarif');
    const result = kgov(['audit', join(fixtures, 'broken.yaml'), '--format', 'sarif', '-o', out]);
    assert.equal(result.code, 1);
    const sarif = JSON.parse(readFileSync(out, 'utf8')) as { runs: Array<{ results: Array<{ ruleId: string; locations: Array<{ physicalLocation: { region: Record<string, number> } }> }>; tool: { driver: { rules: Array<{ id: string }> } } }> };
    const run = sarif.runs[0]!;
    assert.deepEqual(run.results[0]?.locations[0]?.physicalLocation.region, { startLine: 9, startColumn: 13, endLine: 9, endColumn: 17 });
    const ids = run.tool.driver.rules.map((r) => r.id);
    assert.equal(new Set(ids).size, ids.length, 'one descriptor per rule');
  });

  it('reads stdin for -', () => {
    const result = kgov(['audit', '-'], { input: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\nspec:\n  containers: [{name: a, image: b}]\n  hostnetwork: true\n' });
    assert.equal(result.code, 1);
    assert.match(result.stdout, /^<stdin>:7:3 error schema\/unknown-field Unknown field "hostnetwork"/m);
  });

  it('reports usage errors with exit 2 and no stack trace', () => {
    const missing = kgov(['audit', 'no/such/dir']);
    assert.equal(missing.code, 2);
    assert.equal(missing.stderr, 'kgov: path not found: no/such/dir\nRun "kgov --help" for usage.\n');
    const version = kgov(['audit', join(fixtures, 'clean.yaml'), '--kubernetes-version', '1.20']);
    assert.equal(version.code, 2);
    assert.match(version.stderr, /Unknown Kubernetes version "1\.20"; kgov bundles 1\.28, 1\.29, .*1\.36\./);
    assert.equal(kgov(['audit', '--format', 'xml']).code, 2);
    assert.equal(kgov(['lint']).code, 2);
    for (const r of [missing, version]) assert.doesNotMatch(r.stderr, /\n\s+at /);
  });

  it('selects the Kubernetes version', () => {
    const file = join(scratch, 'flowschema.yaml');
    writeFileSync(file, 'apiVersion: flowcontrol.apiserver.k8s.io/v1beta3\nkind: FlowSchema\nmetadata:\n  name: f\nspec:\n  priorityLevelConfiguration:\n    name: global-default\n');
    assert.match(kgov(['audit', file, '--kubernetes-version', '1.29']).stdout, /warning api\/deprecated .*Kubernetes 1\.32 no longer serves it; migrate to flowcontrol\.apiserver\.k8s\.io\/v1\./);
    assert.match(kgov(['audit', file, '--kubernetes-version', 'v1.34.2']).stdout, /error api\/removed .*last served in 1\.31/);
  });

  it('walks directories for manifests, skipping node_modules, .git and JSON that is not Kubernetes', () => {
    const dir = join(scratch, 'walk');
    for (const sub of ['deploy', 'node_modules/x', '.git']) mkdirSync(join(dir, sub), { recursive: true });
    writeFileSync(join(dir, 'deploy/a.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n');
    writeFileSync(join(dir, 'deploy/b.yml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: b}\n');
    writeFileSync(join(dir, 'deploy/c.json'), '{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}}');
    writeFileSync(join(dir, 'package.json'), '{"name": "not-a-manifest"}');
    writeFileSync(join(dir, 'node_modules/x/bad.yaml'), 'a: [\n');
    writeFileSync(join(dir, '.git/bad.yaml'), 'a: [\n');
    const result = kgov(['audit', dir, '--format', 'json']);
    assert.equal(result.code, 0, result.stdout);
    const paths = (JSON.parse(result.stdout) as { files: Array<{ path: string }> }).files.map((f) => f.path.split(/[\\/]/).slice(-2).join('/'));
    assert.deepEqual(paths, ['deploy/a.yaml', 'deploy/b.yml', 'deploy/c.json']);
  });

  it('reports binary and undecodable files clearly, and decodes UTF-16', () => {
    const dir = join(scratch, 'encodings');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'binary.yaml'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01, 0x02]));
    writeFileSync(join(dir, 'latin1.yaml'), Buffer.from('name: caf\xe9\n', 'latin1'));
    const utf16 = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: wide\ndata:\n  k: v\n';
    writeFileSync(join(dir, 'utf16.yaml'), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(utf16, 'utf16le')]));
    const result = kgov(['audit', dir]);
    assert.equal(result.code, 1);
    assert.match(result.stdout, /binary\.yaml:1:1 error yaml\/encoding This is a binary file, not a YAML manifest\./);
    assert.match(result.stdout, /latin1\.yaml:1:1 error yaml\/encoding This file is not valid UTF-8/);
    assert.doesNotMatch(result.stdout, /utf16\.yaml/);
  });
});
