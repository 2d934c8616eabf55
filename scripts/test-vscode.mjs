// npm run test:vscode: the extension-host tests of test/e2e/exthost in desktop VS Code, through @vscode/test-electron
// (the same tests `npm run test:e2e` runs inside code-server). Needs a machine that can download VS Code from
// update.code.visualstudio.com, or VSCODE_EXECUTABLE_PATH=<path of a VS Code binary>, and a display (on a headless
// Linux box: `xvfb-run -a npm run test:vscode`). Not part of CI: CI machines cannot download VS Code.
//   VSCODE_VERSION=stable|insiders|1.NN.N   which VS Code to download (default stable)
//   KGOV_E2E_GREP=<text>                    only the tests whose title contains it
import { downloadAndUnzipVSCode, runTests } from '@vscode/test-electron';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildExthostTests } from '../test/e2e/build.mjs';
import { makeWorkspace } from '../test/e2e/workspace.mjs';

const REPO = fileURLToPath(new URL('..', import.meta.url));
const UPDATE_SERVER = 'https://update.code.visualstudio.com/api/releases/stable';

function fail(message) {
  console.error(`test:vscode: ${message}`);
  console.log('vscode: 0 passed, 1 failed');
  process.exit(1);
}

/** A VS Code binary: VSCODE_EXECUTABLE_PATH, or a download (after a quick check that the server is reachable). */
async function vscodeExecutable() {
  const given = process.env.VSCODE_EXECUTABLE_PATH;
  if (given) {
    if (!fs.existsSync(given)) fail(`VSCODE_EXECUTABLE_PATH=${given} does not exist`);
    return given;
  }
  try {
    const response = await fetch(UPDATE_SERVER, { signal: AbortSignal.timeout(10000) });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
  } catch (error) {
    const cause = error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error);
    fail(`cannot download VS Code: ${UPDATE_SERVER} is not reachable (${cause}).\n` +
      '  @vscode/test-electron needs internet access to fetch VS Code, or set VSCODE_EXECUTABLE_PATH to an installed VS Code.\n' +
      '  Without internet, run the same extension-host tests inside code-server: npm run test:e2e');
  }
  try {
    return await downloadAndUnzipVSCode({ version: process.env.VSCODE_VERSION || 'stable', timeout: 30000 });
  } catch (error) {
    return fail(`downloading VS Code failed: ${error instanceof Error ? error.message : String(error)}`);
  }
}

const executable = await vscodeExecutable();
if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
  console.warn('test:vscode: no DISPLAY; VS Code (Electron) needs one: run `xvfb-run -a npm run test:vscode`');
}

const build = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: REPO, stdio: 'inherit' });
if (build.status !== 0) fail('the build failed');
const tests = await buildExthostTests();
const ws = makeWorkspace();
const userData = fs.mkdtempSync(path.join(os.tmpdir(), 'kgov-vscode-ud-'));
let code = 1;
try {
  code = await runTests({
    vscodeExecutablePath: executable,
    extensionDevelopmentPath: REPO,
    extensionTestsPath: tests,
    launchArgs: [ws, '--disable-extensions', '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes',
      '--disable-telemetry', `--user-data-dir=${userData}`],
    extensionTestsEnv: { KGOV_E2E_GREP: process.env.KGOV_E2E_GREP ?? '' },
  });
} catch (error) {
  console.error(`test:vscode: ${error instanceof Error ? error.message : String(error)}`);
} finally {
  fs.rmSync(ws, { recursive: true, force: true });
  fs.rmSync(userData, { recursive: true, force: true });
}
console.log(`vscode: exit ${code}`);
process.exit(code === 0 ? 0 : 1);
