// npm run test:e2e (after scripts/e2e-setup.sh): the real-editor suite on the packaged extension.
//   1. npm run package -> kgov.vsix (skipped with KGOV_E2E_VSIX=<existing .vsix>)
//   2. bundle the extension-host tests (test/e2e/exthost -> test/out/e2e/exthost)
//   3. extension-host tests inside code-server, against the installed .vsix, on a copy of examples/
//   4. Playwright UI scenarios (test/e2e/ui/kgov.scenarios.mjs) on the installed .vsix, on a fresh copy
// Both suites run even when the other fails. Screenshots land in test/e2e/screenshots/ (git-ignored).
// KGOV_E2E_ONLY=exthost|ui runs one suite; KGOV_E2E_GREP=<text> filters tests / scenarios by name.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { buildExthostTests } from './build.mjs';
import { REPO, SCREENSHOTS } from './lib.mjs';
import { makeWorkspace } from './workspace.mjs';

const started = Date.now();
const seconds = (ms) => `${(ms / 1000).toFixed(1)}s`;
const times = [];
const counts = {};

/** Runs a command with inherited output, also scanning it for "<label>: N passed, M failed". */
function run(label, cmd, args, env = {}) {
  return new Promise((resolve) => {
    const t = Date.now();
    const p = spawn(cmd, args, { cwd: REPO, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    const scan = (stream, out) => stream.on('data', (d) => {
      out.write(d);
      const m = new RegExp(`^${label}: (\\d+) passed, (\\d+) failed`, 'm').exec(String(d));
      if (m) counts[label] = [Number(m[1]), Number(m[2])];
    });
    scan(p.stdout, process.stdout);
    scan(p.stderr, process.stderr);
    p.once('error', (e) => { console.error(`${label}: ${e.message}`); resolve(1); });
    p.once('close', (code) => {
      times.push([label, Date.now() - t, code]);
      resolve(code ?? 1);
    });
  });
}

let failed = false;
let vsix = process.env.KGOV_E2E_VSIX ? path.resolve(process.env.KGOV_E2E_VSIX) : undefined;
if (!vsix) {
  if (await run('package', 'npm', ['run', '--silent', 'package'])) {
    console.error('e2e: npm run package failed');
    process.exit(1);
  }
  vsix = path.join(REPO, 'kgov.vsix');
}
if (!fs.existsSync(vsix)) {
  console.error(`e2e: ${vsix} does not exist`);
  process.exit(1);
}
console.log(`e2e: ${path.relative(REPO, vsix)} ${(fs.statSync(vsix).size / 1048576).toFixed(2)} MB`);

const t = Date.now();
const tests = await buildExthostTests();
times.push(['build tests', Date.now() - t, 0]);

const only = process.env.KGOV_E2E_ONLY;
const workspaces = [];
try {
  if (!only || only === 'exthost') {
    const ws = makeWorkspace();
    workspaces.push(ws);
    if (await run('exthost', process.execPath, ['test/e2e/run-exthost.mjs'], { VSIX: vsix, WS: ws, TESTS: tests })) failed = true;
  }
  if (!only || only === 'ui') {
    // screenshots of earlier runs (including FAILED ones) would be mistaken for this run's
    for (const f of fs.existsSync(SCREENSHOTS) ? fs.readdirSync(SCREENSHOTS) : []) {
      if (f.startsWith('kgov.scenarios-')) fs.rmSync(path.join(SCREENSHOTS, f));
    }
    const ws = makeWorkspace();
    workspaces.push(ws);
    if (await run('ui', process.execPath, ['test/e2e/run-ui.mjs'], { VSIX: vsix, WS: ws, SCENARIO: path.join(REPO, 'test/e2e/ui/kgov.scenarios.mjs') })) failed = true;
  }
} finally {
  for (const ws of workspaces) fs.rmSync(ws, { recursive: true, force: true });
}

console.log('--- e2e wall times');
for (const [label, ms, code] of times) console.log(`${label.padEnd(12)} ${seconds(ms).padStart(7)}  ${code === 0 ? 'ok' : `FAILED (${code})`}`);
console.log(`${'total'.padEnd(12)} ${seconds(Date.now() - started).padStart(7)}`);
const passed = Object.values(counts).reduce((n, [p]) => n + p, 0);
const failures = Object.values(counts).reduce((n, [, f]) => n + f, 0) + (failed && !Object.values(counts).some(([, f]) => f) ? 1 : 0);
console.log(`e2e: ${passed} passed, ${failures} failed`);
process.exit(failed ? 1 : 0);
