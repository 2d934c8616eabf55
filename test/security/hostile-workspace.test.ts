/**
 * A hostile workspace (issue 8): what a cloned repository can put in front of kgov (manifests, CRDs, .kgov.yaml,
 * policy files, symlinks) must not make it run code, read files outside the workspace, reach the network or
 * hang. docs/security.md states these guarantees; each has a test here.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { AuditWorkspaceResult, StatusParams } from '../../server/src/protocol';
import { createEngine } from '../../server/src/engine/engine';
import { SchemaCatalog } from '../../server/src/engine/schema/catalog';
import { Workspace } from '../../server/src/engine/workspace';
import { Folder } from '../../server/src/lsp/folders';
import { schemasDir } from '../../server/src/paths';
import { withDefaults } from '../../server/src/settings';
import { startClient, uri } from '../lsp/client';

const CLI = resolve(__dirname, '../../server/out/cli.js');
const scratch = mkdtempSync(join(tmpdir(), 'kgov-hostile-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

/** Writes files (relative path -> text) under `root`. */
function write(root: string, files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
}

const configMap = (name: string, data = 'x') => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n  value: ${data}\n`;

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

describe('hostile workspace: nothing outside the workspace is read', () => {
  // outside/ holds what a symlink in the workspace points at; nothing of it may reach an index, a report or a config.
  const outside = join(scratch, 'outside');
  const ws = join(scratch, 'ws');
  before(() => {
    write(outside, {
      'secret.yaml': configMap('outside-secret', 'CANARY-FILE'),
      'dir/other.yaml': configMap('outside-dir', 'CANARY-DIR'),
      '.kgov.yaml': 'extends: strict\n',
    });
    write(ws, { 'inside.yaml': configMap('inside'), 'sub/app.yaml': configMap('sub-app') });
    symlinkSync(join(outside, 'secret.yaml'), join(ws, 'link.yaml'));
    symlinkSync(join(outside, 'dir'), join(ws, 'linkdir'));
    symlinkSync(join(outside, '.kgov.yaml'), join(ws, 'sub/.kgov.yaml'));
    symlinkSync(join(ws, 'inside.yaml'), join(ws, 'sub/inner-link.yaml'));
  });

  // (The CLI, run by the user on their own checkout, does read the nearest .kgov.yaml wherever it really is.)
  it('the CLI walker does not follow symlinks out of the folder', () => {
    const result = spawnSync(process.execPath, [CLI, 'audit', ws, '--format', 'json', '--fail-on', 'none'], { encoding: 'utf8', cwd: ws });
    assert.equal(result.status, 0, result.stderr);
    const report = JSON.parse(result.stdout) as { files: Array<{ path: string }> };
    assert.deepEqual(report.files.map((f) => f.path).sort(), ['inside.yaml', 'sub/app.yaml', 'sub/inner-link.yaml']);
    assert.doesNotMatch(result.stdout, /CANARY-FILE|CANARY-DIR|outside-/);
  });

  it("the server's index neither walks nor reads through them, and ignores a .kgov.yaml that is a symlink out", async () => {
    const folder = new Folder(uri(ws), ws, withDefaults({ trusted: true }), new SchemaCatalog(schemasDir()), () => undefined);
    assert.deepEqual(folder.manifestPaths().map((p) => p.slice(ws.length + 1)).sort(), ['inside.yaml', 'sub/app.yaml', 'sub/inner-link.yaml']);
    for (const path of folder.manifestPaths()) await folder.indexFile(path, () => false);
    // A file event (or a stale path) may still name the link: it is not read.
    assert.equal(await folder.indexFile(join(ws, 'link.yaml'), () => false), false);
    assert.equal(await folder.indexFile(join(ws, 'linkdir/other.yaml'), () => false), false);
    assert.deepEqual(folder.workspace.resources().map((r) => r.name).sort(), ['inside', 'inside', 'sub-app']);
    const entry = folder.engineFor(join(ws, 'sub/app.yaml'));
    assert.equal(entry.engine.config.preset, 'recommended', 'the symlinked config (extends: strict) is not loaded');
  });

  it('the running server reports none of it, even after file events for the links', async () => {
    const client = await startClient({ folder: ws });
    try {
      const status = await client.waitForStatus('ready');
      assert.equal(status.files, 3);
      client.connection.sendNotification('workspace/didChangeWatchedFiles', {
        changes: [{ uri: uri(join(ws, 'link.yaml')), type: 1 }, { uri: uri(join(ws, 'linkdir/other.yaml')), type: 2 }],
      });
      const audit = await client.connection.sendRequest<AuditWorkspaceResult>('kgov/auditWorkspace', {});
      assert.deepEqual(audit.files.map((f) => f.uri.slice(uri(ws).length + 1)).sort(), ['inside.yaml', 'sub/app.yaml', 'sub/inner-link.yaml']);
      const after = await client.connection.sendRequest<StatusParams>('kgov/status');
      assert.equal(after.resources, status.resources);
      assert.doesNotMatch(JSON.stringify(audit) + client.log.join('\n'), /CANARY|outside-/);
    } finally {
      await client.stop();
    }
  });
});
