// Bundles the extension-host tests (test/e2e/exthost/*.ts) into test/out/e2e/exthost/ with esbuild: one CommonJS file
// per test file plus index.js (the extensionTestsPath module). `vscode` and `mocha` stay external: the extension
// host provides the first, the repo's node_modules the second. Prints the index path.
//   node test/e2e/build.mjs
import * as esbuild from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const SRC = path.join(REPO, 'test/e2e/exthost');
export const EXTHOST_OUT = path.join(REPO, 'test/out/e2e/exthost');
export const EXTHOST_INDEX = path.join(EXTHOST_OUT, 'index.js');

export async function buildExthostTests() {
  fs.rmSync(EXTHOST_OUT, { recursive: true, force: true });
  const entryPoints = fs.readdirSync(SRC).filter((f) => f === 'index.ts' || f.endsWith('.test.ts')).map((f) => path.join(SRC, f));
  await esbuild.build({
    entryPoints, outdir: EXTHOST_OUT, bundle: true, platform: 'node', format: 'cjs', target: 'node20',
    external: ['vscode', 'mocha'], sourcemap: 'inline', logLevel: 'warning',
  });
  return EXTHOST_INDEX;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  console.log(await buildExthostTests());
}
