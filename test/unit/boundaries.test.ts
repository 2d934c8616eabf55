/**
 * The dependency rules of docs/architecture.md, read from the import statements of every source file: the engine is
 * a pure library behind one public surface (engine/index.ts), nothing points back up, the client talks to the
 * server only through the shared protocol and settings files, and there are no import cycles. Also: the CLI bundle
 * carries no language server, and neither bundle carries the cluster features.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, it } from 'node:test';

const root = resolve(__dirname, '../..');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : path.endsWith('.ts') ? [path] : [];
  });
}

const IMPORT = /(?:^|\n)\s*(?:import|export)\b[^'"]*?from\s+['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)|\brequire\(\s*['"]([^'"]+)['"]\s*\)/g;

/** Imports of a file: package names as written, relative ones resolved to repository paths. */
function importsOf(file: string, text = readFileSync(file, 'utf8')): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(IMPORT)) {
    const spec = (m[1] ?? m[2] ?? m[3]) as string;
    if (!spec.startsWith('.')) {
      out.push(spec);
      continue;
    }
    const base = resolve(dirname(file), spec);
    const target = [`${base}.ts`, join(base, 'index.ts'), base].find((c) => existsSync(c) && statSync(c).isFile());
    if (target) out.push(relative(root, target));
  }
  return out;
}

const server = sources(join(root, 'server/src'));
const client = sources(join(root, 'client/src'));
const rel = (file: string) => relative(root, file);
const graph = new Map([...server, ...client].map((f) => [rel(f), importsOf(f)]));

/** Every (file, import) pair breaking a rule, as "file -> import". */
function offenders(files: (file: string) => boolean, forbidden: (target: string, file: string) => boolean): string[] {
  return [...graph].filter(([file]) => files(file)).flatMap(([file, targets]) => targets.filter((t) => forbidden(t, file)).map((t) => `${file} -> ${t}`));
}

const inEngine = (f: string) => f.startsWith('server/src/engine/');
const isAdapter = (f: string) => /^server\/src\/(lsp|cli|cluster|host)\//.test(f) || /^server\/src\/[^/]+\.ts$/.test(f);

describe('boundaries', () => {
  it('the engine imports neither vscode nor vscode-languageserver', () => {
    assert.deepEqual(offenders(inEngine, (t) => /^vscode(-languageserver[^/]*|-languageclient)?(\/|$)/.test(t)), []);
  });

  it('adapters (lsp, cli, cluster, host, the entry files) import the engine only through engine/index.ts', () => {
    assert.deepEqual(offenders(isAdapter, (t) => inEngine(t) && t !== 'server/src/engine/index.ts'), []);
  });

  it('the engine never imports upward (adapters, shared files)', () => {
    assert.deepEqual(offenders(inEngine, (t) => t.startsWith('server/src/') && !inEngine(t)), []);
  });

  it('only client/ imports vscode, and the client imports only the shared protocol and settings files of the server', () => {
    assert.deepEqual(offenders((f) => f.startsWith('server/'), (t) => t === 'vscode'), []);
    assert.deepEqual(offenders((f) => f.startsWith('client/'), (t) => t.startsWith('server/') && !/^server\/src\/shared\/(protocol|settings)\.ts$/.test(t)), []);
  });

  it('has no import cycles', () => {
    const cycles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const visit = (file: string, path: string[]): void => {
      if (state.get(file) === 'done') return;
      if (state.get(file) === 'open') {
        cycles.push([...path.slice(path.indexOf(file)), file].join(' -> '));
        return;
      }
      state.set(file, 'open');
      for (const target of graph.get(file) ?? []) if (graph.has(target)) visit(target, [...path, file]);
      state.set(file, 'done');
    };
    for (const file of graph.keys()) visit(file, []);
    assert.deepEqual(cycles, []);
  });

  it('reads imports as the rules above need them (a deep engine import is seen as one)', () => {
    const file = join(root, 'server/src/lsp/example.ts');
    assert.deepEqual(importsOf(file, "import { spanOf } from '../engine/yaml/locate';\nimport type { Engine } from '../engine';\n"),
      ['server/src/engine/yaml/locate.ts', 'server/src/engine/index.ts']);
  });

  it('the server and CLI bundles leave the cluster features and @kubernetes/client-node to server/out/cluster.js', () => {
    const inputsOf = (bundle: string) => Object.keys((JSON.parse(readFileSync(join(root, `server/out/${bundle}.js.meta.json`), 'utf8')) as { inputs: Record<string, unknown> }).inputs);
    for (const bundle of ['server', 'cli']) {
      assert.deepEqual(inputsOf(bundle).filter((i) => /@kubernetes\/client-node|node_modules\/undici|server\/src\/cluster\/(?!load\.ts)/.test(i)), [], bundle);
    }
    assert.ok(inputsOf('cluster').some((i) => i.includes('@kubernetes/client-node')));
  });

  it('the CLI bundle contains no language-server code', () => {
    const meta = JSON.parse(readFileSync(join(root, 'server/out/cli.js.meta.json'), 'utf8')) as { inputs: Record<string, unknown> };
    const inputs = Object.keys(meta.inputs);
    assert.ok(inputs.some((i) => i.includes('server/src/engine/engine.ts')));
    assert.deepEqual(inputs.filter((i) => /vscode-languageserver|vscode-jsonrpc|server\/src\/lsp\//.test(i)), []);
  });
});
