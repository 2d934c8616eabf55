// Builds the selftest .vsix: esbuild bundles client and server (so the vsix needs no node_modules), then vsce.
//   node test/e2e/selftest/pack.mjs [out.vsix]   -> prints the vsix path
import { build } from 'esbuild';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CACHE, packageVsix } from '../lib.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const out = path.resolve(process.argv[2] || `${CACHE}/selftest/kgov-e2e-hello.vsix`);
const stage = fs.mkdtempSync(path.join(os.tmpdir(), 'kgov-e2e-pack-'));
try {
  for (const f of ['extension.js', 'server.js']) {
    await build({ entryPoints: [`${here}/${f}`], outfile: `${stage}/${f}`, bundle: true, platform: 'node',
      format: 'cjs', target: 'node20', external: ['vscode'], logLevel: 'warning' });
  }
  fs.copyFileSync(`${here}/package.json`, `${stage}/package.json`);
  fs.mkdirSync(path.dirname(out), { recursive: true });
  console.log(await packageVsix(stage, out, { noDependencies: true }));
} finally {
  fs.rmSync(stage, { recursive: true, force: true });
}
