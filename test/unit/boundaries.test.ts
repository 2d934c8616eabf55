/** The engine is a pure library: no editor or LSP imports, and the CLI bundle does not carry the language server. */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';

const root = resolve(__dirname, '../..');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : path.endsWith('.ts') ? [path] : [];
  });
}

describe('boundaries', () => {
  it('server/src/engine imports neither vscode nor vscode-languageserver', () => {
    const offenders = sources(join(root, 'server/src/engine')).filter((file) =>
      /(from\s+|require\(|import\()\s*['"](vscode|vscode-languageserver[^'"]*|vscode-languageclient[^'"]*)['"]/.test(readFileSync(file, 'utf8')));
    assert.deepEqual(offenders, []);
  });

  it('only client/ imports vscode', () => {
    const offenders = sources(join(root, 'server/src')).filter((file) => /from\s+['"]vscode['"]/.test(readFileSync(file, 'utf8')));
    assert.deepEqual(offenders, []);
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
