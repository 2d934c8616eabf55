/** The CLI with configuration, presets, --rule, --fix and `kgov rules`. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, describe, it } from 'node:test';

const root = resolve(__dirname, '../..');
const cli = join(root, 'server/out/cli.js');
const scratch = mkdtempSync(join(tmpdir(), 'kgov-cli-config-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

function kgov(args: string[], cwd = scratch) {
  const result = spawnSync(process.execPath, [cli, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const pod = `apiVersion: v1
kind: Pod
metadata:
  name: agent # node agent
spec:
  hostNetwork: true
  containers:
    - name: agent
      image: example/agent:1.2
      securityContext:
        privileged: true   # needs raw sockets
`;

function repo(name: string, files: Record<string, string>): string {
  const dir = join(scratch, name);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

describe('kgov audit with configuration', () => {
  it('finds the nearest .kgov.yaml above each file and applies its preset, rules and ignore', () => {
    const dir = repo('walk-up', {
      '.kgov.yaml': 'extends: pss-baseline\nrules:\n  run-as-non-root: warning\n  no-host-network: info\nignore: ["generated/**"]\n',
      'deploy/pod.yaml': pod,
      'generated/pod.yaml': pod,
    });
    const result = kgov(['audit', '.', '--format', 'json'], dir);
    const report = JSON.parse(result.stdout) as { files: Array<{ path: string; findings: Array<{ ruleId: string; severity: string }> }> };
    assert.deepEqual(report.files.map((f) => f.path), ['deploy/pod.yaml']);
    assert.deepEqual(report.files[0]?.findings.map((f) => `${f.ruleId}:${f.severity}`), ['no-host-network:info', 'run-as-non-root:warning', 'no-privileged-container:error']);
  });

  it('stops with exit 2 and the config problems on a broken .kgov.yaml', () => {
    const dir = repo('broken', { '.kgov.yaml': 'extends: recommended\nrules:\n  no-such-rule: error\n', 'pod.yaml': pod });
    const result = kgov(['audit', '.'], dir);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /\.kgov\.yaml:3:3 error config\/invalid Unknown rule "no-such-rule"/);
    assert.match(result.stderr, /the configuration is invalid; nothing was audited/);
  });

  it('takes --config, --preset and --rule, and rejects unknown ones', () => {
    const dir = repo('flags', { 'pod.yaml': pod, 'other.yaml': 'rules:\n  no-host-network: error\n' });
    const ids = (args: string[]) => (JSON.parse(kgov(['audit', 'pod.yaml', '--format', 'json', ...args], dir).stdout) as { files: Array<{ findings: Array<{ ruleId: string; severity: string }> }> })
      .files[0]?.findings.map((f) => `${f.ruleId}:${f.severity}`);
    assert.deepEqual(ids(['--preset', 'pss-baseline', '--rule', 'run-as-non-root']), ['no-host-network:error', 'run-as-non-root:warning', 'no-privileged-container:error']);
    assert.deepEqual(ids(['--preset', 'pss-baseline', '--rule', 'run-as-non-root=off', '--rule', 'no-host-network=info']), ['no-host-network:info', 'no-privileged-container:error']);
    assert.ok((ids(['--preset', 'all']) ?? []).length > 20, 'the all preset turns every rule on');
    assert.equal(kgov(['audit', 'pod.yaml', '--preset', 'loose'], dir).code, 2);
    assert.equal(kgov(['audit', 'pod.yaml', '--rule', 'no-such-rule'], dir).code, 2);
    assert.equal(kgov(['audit', 'pod.yaml', '--config', 'other.yaml'], dir).code, 1);
  });

  it('--fix --dry-run prints a unified diff and writes nothing; --fix writes and lists what it changed', () => {
    const dir = repo('fix', { 'pod.yaml': pod });
    const dry = kgov(['audit', 'pod.yaml', '--preset', 'pss-baseline', '--rule', 'run-as-non-root', '--fix', '--dry-run'], dir);
    assert.equal(readFileSync(join(dir, 'pod.yaml'), 'utf8'), pod);
    assert.match(dry.stderr, /^--- a\/pod\.yaml\n\+\+\+ b\/pod\.yaml\n@@ /m);
    assert.match(dry.stderr, /^-  hostNetwork: true$/m);
    assert.match(dry.stderr, /would fix pod\.yaml: 3 fixes \(no-host-network, no-privileged-container, run-as-non-root\)/);
    const fixed = kgov(['audit', 'pod.yaml', '--preset', 'pss-baseline', '--rule', 'run-as-non-root', '--fix'], dir);
    assert.equal(fixed.code, 0, fixed.stdout);
    assert.match(fixed.stderr, /^fixed pod\.yaml: 3 fixes/m);
    assert.equal(readFileSync(join(dir, 'pod.yaml'), 'utf8'), `apiVersion: v1
kind: Pod
metadata:
  name: agent # node agent
spec:
  containers:
    - name: agent
      image: example/agent:1.2
      securityContext:
        privileged: false   # needs raw sockets
        runAsNonRoot: true  # kgov: the image must run as a non-root user
`);
    assert.match(fixed.stdout, /^No problems/);
  });

  it('fixes schema typos too', () => {
    const dir = repo('typos', { 'svc.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  type: nodeport\n  ports:\n    - port: "80"\n      targetport: 8080\n' });
    kgov(['audit', 'svc.yaml', '--fix'], dir);
    assert.equal(readFileSync(join(dir, 'svc.yaml'), 'utf8'), 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  type: NodePort\n  ports:\n    - port: 80\n      targetPort: 8080\n');
  });
});

describe('kgov rules', () => {
  it('lists every rule as JSON metadata, built-ins included', () => {
    const result = kgov(['rules', '--format', 'json']);
    assert.equal(result.code, 0);
    const rules = JSON.parse(result.stdout) as Array<{ id: string; category: string; defaultSeverity: string; presets: Record<string, string>; aliases: object; fixable: boolean; docs: string }>;
    const ids = rules.map((r) => r.id);
    for (const id of ['no-privileged-container', 'schema/unknown-field', 'api/removed', 'yaml/syntax', 'schema-conformance', 'no-deprecated-api-version']) assert.ok(ids.includes(id), id);
    const privileged = rules.find((r) => r.id === 'no-privileged-container');
    assert.deepEqual(privileged?.aliases, { polaris: ['runAsPrivileged'], kubeLinter: ['privileged-container'], kubeScore: ['container-security-context-privileged'], pss: ['privileged'] });
    assert.match(privileged?.docs ?? '', /docs\/rules\/no-privileged-container\.md$/);
  });

  it('prints Markdown and text', () => {
    assert.match(kgov(['rules', '--format', 'markdown']).stdout, /^\| Rule \| Category \|/);
    assert.match(kgov(['rules']).stdout, /^no-host-network +error +fix +Pods do not share/m);
  });
});
