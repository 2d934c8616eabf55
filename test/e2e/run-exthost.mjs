// Runs a test module INSIDE code-server's extension host, like @vscode/test-electron does with desktop VS Code.
//   EXT=<extension folder> | VSIX=<file.vsix>  WS=<workspace folder>  TESTS=<absolute path of a JS module exporting run(): Promise<void>>
// With VSIX the package is installed by code-server into a scratch folder and that installed copy is the
// extensionDevelopmentPath (the workbench runs extension tests only for a development extension): the tests then
// exercise exactly what users install.
//   optional: TIMEOUT_MS (default 300000), KGOV_E2E_PORT, VERBOSE=1 (all renderer log lines), KEEP=1 (keep logs)
// The workbench reports run()'s outcome through window.codeAutomationExit (0 = resolved, 1 = rejected) and forwards
// every log line (including the ext host's console) through window.codeAutomationLog.
import fs from 'node:fs';
import path from 'node:path';
import { format } from 'node:util';
import { installVsix, launchBrowser, log, makeRunDir, startCodeServer, workbenchUrl } from './lib.mjs';

const { WS, TESTS, VSIX } = process.env;
if (!(process.env.EXT || VSIX) || !WS || !TESTS || !path.isAbsolute(TESTS)) {
  console.error('usage: EXT=<extension dir> | VSIX=<file.vsix>  WS=<workspace dir> TESTS=<absolute path of compiled test index> node test/e2e/run-exthost.mjs');
  process.exit(2);
}
for (const [k, v] of Object.entries({ EXT: process.env.EXT, VSIX, WS, TESTS })) {
  if (v && !fs.existsSync(v)) { console.error(`${k}=${v} does not exist`); process.exit(2); }
}
let EXT = process.env.EXT;
let vsixDir;
if (VSIX) {
  vsixDir = makeRunDir('kgov-e2e-vsix-');
  try {
    log('installed:', (await installVsix(VSIX, `${vsixDir}/exts`)).replace(/\n/g, ', '));
  } catch (e) {
    console.error('RUN FAILED: could not install', VSIX, e.message);
    fs.rmSync(vsixDir, { recursive: true, force: true });
    console.log('exthost: 0 passed, 1 failed');
    process.exit(1);
  }
  const [installed] = fs.readdirSync(`${vsixDir}/exts`).filter((d) => fs.statSync(`${vsixDir}/exts/${d}`).isDirectory());
  EXT = `${vsixDir}/exts/${installed}`;
}
const TIMEOUT_MS = Number(process.env.TIMEOUT_MS || 300000);
// offline and fresh-profile chatter that says nothing about the tests
const NOISE = /AgentHost|ChatModelSelection|AccountPolicyGate|socket|connection token|grace time|Service Worker|builtin extensions cache|open-vsx|authentication provider|vsda|ERR_NAME_NOT_RESOLVED|events\.data\.microsoft|ENOTFOUND/;

let cs, browser, code = 'not started', explicit, passing, failing;
try {
  cs = await startCodeServer({ folder: WS, devMode: true });
  browser = await launchBrowser({ runDir: cs.runDir });
  const page = await browser.newPage();
  let finish;
  const finished = new Promise((r) => { finish = r; });
  await page.exposeFunction('codeAutomationLog', (type, args) => {
    const line = format(...(Array.isArray(args) ? args : [args]));
    // counts: an explicit "RESULT N passed, N failed" line wins, else mocha's reporter summary
    let m;
    if ((m = /RESULT (\d+) passed, (\d+) failed/.exec(line))) explicit = [Number(m[1]), Number(m[2])];
    if ((m = /^\s*(\d+) passing \(/.exec(line))) passing = Number(m[1]);
    if ((m = /^\s*(\d+) failing\s*$/.exec(line))) failing = Number(m[1]);
    if (process.env.VERBOSE || !NOISE.test(line)) console.log(`[${type}]`, line);
  });
  await page.exposeFunction('codeAutomationExit', (c) => finish(c));
  cs.exited.then((c) => finish(`code-server exited (${c})`));
  const timer = setTimeout(() => finish(`timeout after ${TIMEOUT_MS} ms`), TIMEOUT_MS);
  try {
    await page.goto(workbenchUrl(cs.port, WS, { extensionDevelopmentPath: EXT, extensionTestsPath: TESTS }));
    code = await finished;
  } finally {
    clearTimeout(timer);   // a pending timer would keep this process alive long after the tests
  }
  log('codeAutomationExit:', code);
} catch (e) {
  console.error('RUN FAILED:', e.message);
} finally {
  await browser?.closeAll();
  await cs?.stop();
  if (vsixDir && !process.env.KEEP) fs.rmSync(vsixDir, { recursive: true, force: true });
}
const ok = code === 0;
let [passed, failed] = explicit || [passing ?? 0, failing ?? 0];
if (!ok && failed === 0) failed = 1;   // run() rejected, crashed or timed out without a count: still a failure
console.log(`exthost: ${passed} passed, ${failed} failed`);
process.exit(ok && failed === 0 ? 0 : 1);
