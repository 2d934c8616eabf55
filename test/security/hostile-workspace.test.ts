/**
 * A hostile workspace (issue 8): what a cloned repository can put in front of kgov (manifests, CRDs, .kgov.yaml,
 * policy files, symlinks) must not make it run code, read files outside the workspace, reach the network or
 * hang. docs/security.md states these guarantees; each has a test here.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { AuditWorkspaceResult, StatusParams } from '../../server/src/shared/protocol';
import { loadConfigText } from '../../server/src/engine/config/load';
import { createEngine } from '../../server/src/engine/engine';
import { SchemaCatalog } from '../../server/src/engine/schema/catalog';
import { Workspace } from '../../server/src/engine/workspace';
import { Folder } from '../../server/src/lsp/folders';
import { schemasDir } from '../../server/src/host/paths';
import { withDefaults } from '../../server/src/shared/settings';
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

  const policyDir = join(scratch, 'regex');
  const policy = (pattern: string) => {
    write(policyDir, { 'policy.json': JSON.stringify({ id: 'named', target: { kinds: ['ConfigMap'], scope: 'object' }, severity: 'warning', messages: { pass: 'ok', fail: 'bad' }, schema: { properties: { metadata: { properties: { name: { pattern } } } } } }) });
    return loadConfigText('policies: [policy.json]\n', join(policyDir, '.kgov.yaml'), new SchemaCatalog(schemasDir()), schemasDir(), true);
  };

  it('runs policy patterns on RE2 too, and refuses what RE2 cannot do or what is too long', () => {
    const loaded = policy('^(a+)+$');
    assert.deepEqual(loaded.findings, []);
    const engine = createEngine({ schemasDir: schemasDir(), config: loaded.config, policyFiles: loaded.policyFiles });
    const name = 'a'.repeat(60);
    assert.equal(engine.lint('/w/c.yaml', `${configMap(name).replace(`name: ${name}`, `name: "${name}!"`)}`).filter((f) => f.ruleId === 'named').length, 1);
    assert.match(policy('^(a)\\1$').findings[0]?.message ?? '', /does not compile/, 'a backreference is not RE2');
    assert.match(policy('a'.repeat(1001)).findings[0]?.message ?? '', /does not compile.*longer than 1000/);
  });

  it('matches ignore globs without backtracking, and refuses patterns that are too long or expand too far', () => {
    const config = (ignore: string[]) => loadConfigText(`ignore: ${JSON.stringify(ignore)}\n`, join(policyDir, '.kgov.yaml'), new SchemaCatalog(schemasDir()), schemasDir(), true);
    assert.deepEqual(config(['**/a*a*a*a*a*a*a*a*a*a*a*b']).findings, []);
    assert.equal(config(['x'.repeat(501)]).findings.length, 1);
    const bomb = config(['{a,b}{c,d}{e,f}{g,h}{i,j}{k,l}{m,n}', 'keep/**']);
    assert.deepEqual(bomb.findings.map((f) => f.message), ['.kgov.yaml ignore[0]: glob pattern expands to too many alternatives.']);
    assert.deepEqual(bomb.config.ignore, ['keep/**']);
    // Before, such a pattern threw where the CLI and the server compile the ignore list ("internal error", and no
    // diagnostics at all in the editor): now it is a configuration problem like any other.
    const repo = join(scratch, 'glob-bomb');
    write(repo, { '.kgov.yaml': 'ignore: ["{a,b}{c,d}{e,f}{g,h}{i,j}{k,l}{m,n}"]\n', 'a.yaml': configMap('a') });
    const cli = spawnSync(process.execPath, [CLI, 'audit', repo], { encoding: 'utf8', cwd: repo });
    assert.equal(cli.status, 2);
    assert.match(cli.stdout + cli.stderr, /config\/invalid \.kgov\.yaml ignore\[0\]: glob pattern expands/);
    assert.doesNotMatch(cli.stdout + cli.stderr, /internal error/);
    const folder = new Folder(uri(repo), repo, withDefaults({ trusted: true }), new SchemaCatalog(schemasDir()), () => undefined);
    assert.equal(folder.engineFor(join(repo, 'a.yaml')).ignored(join(repo, 'a.yaml')), false);
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

/** What a payload does if it ever runs as code. */
declare global {
  var KGOV_PWNED: unknown;
}

const PAYLOADS = [
  "'+(globalThis.KGOV_PWNED=1)+'",
  '";globalThis.KGOV_PWNED=2;//',
  '${globalThis.KGOV_PWNED=3}',
  '*/globalThis.KGOV_PWNED=4/*',
  '\u2028globalThis.KGOV_PWNED=5',
  '`);globalThis.KGOV_PWNED=6;(`',
  '\\"]);globalThis.KGOV_PWNED=7;//',
];

describe('hostile workspace: YAML and policies are data, never code', () => {
  const dir = join(scratch, 'code');
  const catalog = new SchemaCatalog(schemasDir());
  before(() => write(dir, { 'secret.txt': 'CANARY-SECRET\n' }));
  after(() => {
    assert.equal(globalThis.KGOV_PWNED, undefined, 'no payload ran');
    assert.equal(({} as Record<string, unknown>).polluted, undefined, 'Object.prototype is untouched');
  });

  it('custom tags (!!js/function, !include, !!python/...) are plain values in manifests', () => {
    const touched = join(dir, 'touched');
    const text = `apiVersion: v1
kind: ConfigMap
metadata:
  name: tags
data:
  fn: !!js/function "function () { globalThis.KGOV_PWNED = 'fn' }"
  include: !include ${join(dir, 'secret.txt')}
  python: !!python/object/apply:os.system ["touch ${touched}"]
  undefined: !!js/undefined ''
  regexp: !!js/regexp /a/g
`;
    const engine = createEngine({ schemasDir: schemasDir() }, catalog);
    const [resource] = engine.analyze('/w/tags.yaml', text).resources;
    const data = resource?.value.data as Record<string, unknown>;
    assert.equal(data.fn, "function () { globalThis.KGOV_PWNED = 'fn' }");
    assert.equal(data.include, join(dir, 'secret.txt'), 'the path, not the file');
    assert.deepEqual([...(data.python as unknown[])], [`touch ${touched}`]);
    assert.equal(data.regexp, '/a/g');
    const findings = engine.lint('/w/tags.yaml', text);
    assert.ok(findings.some((f) => f.ruleId === 'schema/type' && f.message.includes('data.python')), 'a list where a string belongs is a schema error, nothing more');
    assert.doesNotMatch(JSON.stringify(findings), /CANARY-SECRET/);
    assert.equal(existsSync(touched), false);
  });

  it('custom tags in .kgov.yaml and in policy files are plain values too', () => {
    write(dir, {
      'policies/tagged.yaml': `id: tagged\ntarget: {kinds: [ConfigMap], scope: object}\nseverity: warning\nmessages: {pass: ok, fail: bad}\nschema: !include ${join(dir, 'secret.txt')}\n`,
    });
    const config = `extends: !!js/function "function () { globalThis.KGOV_PWNED = 'config' }"\nrules: !include ${join(dir, 'secret.txt')}\npolicies: ["policies/*.yaml"]\n`;
    const loaded = loadConfigText(config, join(dir, '.kgov.yaml'), catalog, schemasDir(), true);
    const messages = loaded.findings.map((f) => `${f.range.start.line + 1}: ${f.message}`);
    assert.equal(loaded.findings.length, 3, messages.join('\n'));
    assert.ok(messages[0]?.startsWith('1: ') && messages.some((m) => m.startsWith('2: ')) && messages.some((m) => /tagged\.yaml: /.test(m)), messages.join('\n'));
    assert.deepEqual(loaded.policyFiles, []);
    assert.doesNotMatch(messages.join('\n'), /CANARY-SECRET/);
  });

  it('policy schemas compile to validators no payload escapes from (names, patterns, enums, descriptions, formats)', () => {
    const schema = {
      type: 'object', title: PAYLOADS[0], description: PAYLOADS[3], $comment: PAYLOADS[4],
      required: ['data', PAYLOADS[0]],
      properties: {
        data: {
          type: 'object',
          properties: Object.fromEntries(PAYLOADS.map((p, i) => [p, { enum: [PAYLOADS[(i + 1) % PAYLOADS.length]], const: p, format: p, default: p, examples: [p] }])),
          patternProperties: { "^x'\";]": { pattern: "^'\";]\\}+$", maxLength: 3 } },
          propertyNames: { not: { const: PAYLOADS[5] } },
        },
      },
    };
    write(dir, { 'policies/inject.json': JSON.stringify({ id: 'inject', target: { kinds: ['ConfigMap'], scope: 'object' }, severity: 'warning', messages: { pass: 'ok', fail: 'bad' }, schema }) });
    const loaded = loadConfigText('policies: ["policies/inject.json"]\n', join(dir, '.kgov.yaml'), catalog, schemasDir(), true);
    assert.deepEqual(loaded.findings.map((f) => f.message), []);
    const engine = createEngine({ schemasDir: schemasDir(), config: loaded.config, policyFiles: loaded.policyFiles }, catalog);
    const data = Object.fromEntries([...PAYLOADS.map((p) => [p, p] as const), ["x'\";]", "'\";]}}}}"]]);
    const manifest = JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'inject' }, data });
    const findings = engine.lint('/w/inject.json', manifest).filter((f) => f.ruleId === 'inject');
    // The validator ran (and found what the schema says), and nothing else happened.
    assert.ok(findings.length >= PAYLOADS.length, findings.map((f) => f.message).join('\n'));
    assert.equal(globalThis.KGOV_PWNED, undefined);
  });

  it('a policy cannot name its message placeholders after object internals', () => {
    write(dir, { 'policies/proto.yaml': 'id: proto\ntarget: {kinds: [ConfigMap], scope: object}\nseverity: warning\nmessages: {pass: ok, fail: "{{__proto__}} {{constructor}}"}\nschema: {type: object}\n' });
    const loaded = loadConfigText('policies: ["policies/proto.yaml"]\n', join(dir, '.kgov.yaml'), catalog, schemasDir(), true);
    assert.match(loaded.findings[0]?.message ?? '', /placeholder \{\{__proto__\}\} is not one of/);
  });
});

describe('hostile workspace: no network', () => {
  let server: Server;
  let base: string;
  const hits: string[] = [];
  const dir = join(scratch, 'net');
  before(async () => {
    server = createServer((req, res) => {
      hits.push(req.url ?? '');
      res.setHeader('content-type', 'application/json');
      res.end('{"type": "object"}');
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    const address = server.address();
    base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    // Everything a repository could use to point kgov at a URL.
    write(dir, {
      '.kgov.yaml': `policies: ["policies/*.yaml", "${base}/remote-policy.yaml", "//127.0.0.1/share/p.yaml"]\n`,
      'policies/refs.yaml': `$schema: ${base}/meta.json\nid: refs\ntarget: {kinds: [ConfigMap], scope: object}\nseverity: warning\nmessages: {pass: ok, fail: bad}\nschema:\n  $id: ${base}/id.json\n  $ref: ${base}/ref.json\n`,
      'policies/file-ref.yaml': 'id: file-ref\ntarget: {kinds: [ConfigMap], scope: object}\nseverity: warning\nmessages: {pass: ok, fail: bad}\nschema: {$ref: "file:///etc/passwd"}\n',
      'kustomization.yaml': `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - ${base}/remote-resources.yaml\n  - github.com/example/repo//deploy?ref=main\n  - app.yaml\n`,
      'app.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\n  annotations:\n    docs: ${base}/annotation\ndata:\n  $schema: ${base}/manifest-schema.json\n`,
      'crd.yaml': `apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: remotes.evil.io\nspec:\n  group: evil.io\n  scope: Namespaced\n  names: {kind: Remote, plural: remotes}\n  versions:\n    - name: v1\n      served: true\n      storage: true\n      schema:\n        openAPIV3Schema: {$ref: "${base}/crd.json", type: object}\n`,
      'remote.yaml': 'apiVersion: evil.io/v1\nkind: Remote\nmetadata:\n  name: r\nspec: {}\n',
    });
    // The canary server answers (so a request would not simply fail): one request from the test itself.
    assert.equal((await fetch(`${base}/control`)).status, 200);
  });
  after(() => {
    server.close();
  });

  it('the CLI audits such a workspace without a single request', () => {
    const result = spawnSync(process.execPath, [CLI, 'audit', dir, '--format', 'json', '--fail-on', 'none'], { encoding: 'utf8', cwd: dir });
    // The URLs in .kgov.yaml are not policy files of the folder: a configuration error (exit 2), reported, not fetched.
    assert.equal(result.status, 2, result.stdout + result.stderr);
    assert.match(result.stdout + result.stderr, /No policy file matches/);
    assert.deepEqual(hits, ['/control']);
  });

  it('the language server indexes, lints, hovers and audits it (trusted, policies on) without a single request', async () => {
    const client = await startClient({ folder: dir, settings: { preset: 'all' }, trusted: true });
    try {
      await client.waitForStatus('ready');
      for (const name of ['app.yaml', 'kustomization.yaml', 'crd.yaml', 'remote.yaml', '.kgov.yaml', 'policies/refs.yaml']) {
        const target = uri(join(dir, name));
        client.open(target, readFileSync(join(dir, name), 'utf8'));
        await client.waitForDiagnostics(target);
        await client.connection.sendRequest('textDocument/hover', { textDocument: { uri: target }, position: { line: 1, character: 2 } });
      }
      await client.connection.sendRequest<AuditWorkspaceResult>('kgov/auditWorkspace', {});
      await client.connection.sendRequest('kgov/checklist', {});
    } finally {
      await client.stop();
    }
    assert.deepEqual(hits, ['/control']);
  });
});
