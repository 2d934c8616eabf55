// Playwright UI runner: real workbench (code-server) + real extension, driven through Debian chromium.
//   SCENARIO=<path of an .mjs> WS=<workspace folder> and either EXT=<extension folder> (loaded as
//   extensionDevelopmentPath) or VSIX=<file> (installed into a fresh extensions dir, i.e. as a user would).
//   optional: TIMEOUT_MS per scenario (default 120000), KGOV_E2E_GREP (scenario name filter), KGOV_E2E_PORT, VERBOSE=1, KEEP=1
// The module exports `async function scenario({ page, log, screenshot, openFile, ws, ext })` (or a default export),
// or `scenarios = { name: fn, ... }` to run several against the same workbench. A scenario fails by throwing.
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { launchBrowser, log, openFile, screenshot, startCodeServer, workbenchUrl } from './lib.mjs';

const { SCENARIO, WS, EXT, VSIX } = process.env;
if (!SCENARIO || !WS || !(EXT || VSIX)) {
  console.error('usage: SCENARIO=<scenario.mjs> WS=<workspace dir> EXT=<extension dir> | VSIX=<file.vsix> node test/e2e/run-ui.mjs');
  process.exit(2);
}
for (const [k, v] of Object.entries({ SCENARIO, WS, EXT, VSIX })) {
  if (v && !fs.existsSync(v)) { console.error(`${k}=${v} does not exist`); process.exit(2); }
}
const TIMEOUT_MS = Number(process.env.TIMEOUT_MS || 120000);
const label = path.basename(SCENARIO).replace(/\.m?js$/, '');

const mod = await import(pathToFileURL(path.resolve(SCENARIO)).href);
const all = mod.scenarios || { [label]: mod.scenario || mod.default };
// KGOV_E2E_GREP=<text>: only the scenarios whose name contains it
const scenarios = Object.fromEntries(Object.entries(all).filter(([name]) => !process.env.KGOV_E2E_GREP || name.includes(process.env.KGOV_E2E_GREP)));
if (Object.values(scenarios).some((f) => typeof f !== 'function')) {
  console.error(`${SCENARIO} exports neither scenario(), a default function nor scenarios = { name: fn }`);
  process.exit(2);
}

let cs, browser, passed = 0, failed = 0;
try {
  cs = await startCodeServer({ folder: WS, vsix: VSIX, devMode: !VSIX });
  browser = await launchBrowser({ runDir: cs.runDir });
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  page.setDefaultTimeout(30000);
  if (process.env.VERBOSE) page.on('console', (m) => console.log(`[page:${m.type()}]`, m.text()));
  await page.goto(workbenchUrl(cs.port, WS, VSIX ? {} : { extensionDevelopmentPath: EXT }));
  await page.waitForSelector('.monaco-workbench', { timeout: 60000 });
  log('workbench rendered');

  for (const [name, fn] of Object.entries(scenarios)) {
    const ctx = {
      page, ws: WS, ext: EXT,
      log: (...a) => log(`[${name}]`, ...a),
      screenshot: async (shot = name) => { const f = await screenshot(page, `${label}-${shot}`); log('screenshot', f); return f; },
      openFile: (rel, opts) => openFile(page, rel, opts),
    };
    let timer;
    try {
      await Promise.race([fn(ctx), new Promise((_, rej) => {
        timer = setTimeout(() => rej(new Error(`timeout after ${TIMEOUT_MS} ms`)), TIMEOUT_MS);
      })]);
      passed++;
      log(`✔ ${name}`);
    } catch (e) {
      failed++;
      log(`✘ ${name}: ${e.stack || e.message}`);
      await ctx.screenshot(`${name}-FAILED`).catch(() => {});
    } finally {
      clearTimeout(timer);
    }
  }
} catch (e) {
  console.error('RUN FAILED:', e.stack || e.message);
  failed = Math.max(failed, 1);
} finally {
  await browser?.closeAll();
  await cs?.stop();
}
console.log(`ui: ${passed} passed, ${failed} failed`);
process.exit(failed || !passed ? 1 : 0);
