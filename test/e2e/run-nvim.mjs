// Runs test/e2e/nvim-lsp.lua in headless Neovim against a language server and collects its diagnostic lines.
//   SERVER=<node script started with --stdio> FILE=<yaml file> node test/e2e/run-nvim.mjs
//   optional: NODE (node binary for the server), NVIM_TIMEOUT_MS, MIN_DIAGNOSTICS (see nvim-lsp.lua)
// Also importable: runNvim({ server, file, ... }) -> { status, lines, stderr }.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const LUA = fileURLToPath(new URL('./nvim-lsp.lua', import.meta.url));

export async function runNvim({ server, file, node, timeoutMs = 15000, minDiagnostics = 0 }) {
  // nvim writes lsp.log, shada and swap state under XDG dirs: keep them out of $HOME
  const xdg = fs.mkdtempSync(path.join(os.tmpdir(), 'kgov-e2e-nvim-'));
  const env = { ...process.env, SERVER: server, FILE: file, NVIM_TIMEOUT_MS: String(timeoutMs),
    MIN_DIAGNOSTICS: String(minDiagnostics), XDG_CACHE_HOME: `${xdg}/cache`, XDG_STATE_HOME: `${xdg}/state`,
    XDG_DATA_HOME: `${xdg}/data`, XDG_CONFIG_HOME: `${xdg}/config` };
  if (node) env.NODE = node;
  try {
    return await new Promise((resolve, reject) => {
      const p = spawn('nvim', ['--headless', '-u', 'NONE', '-i', 'NONE', '-n', '-c', `luafile ${LUA}`],
        { env, stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '', err = '';
      p.stdout.on('data', (d) => { out += d; });
      p.stderr.on('data', (d) => { err += d; });
      // the lua script has its own deadline; this one only catches a wedged nvim
      const guard = setTimeout(() => p.kill('SIGKILL'), timeoutMs + 10000);
      p.once('error', (e) => { clearTimeout(guard); reject(e); });
      p.once('close', (code, signal) => {
        clearTimeout(guard);
        resolve({ status: code ?? 1, signal, lines: out.split('\n').filter((l) => l.trim()), stderr: err.trim() });
      });
    });
  } finally {
    fs.rmSync(xdg, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { SERVER, FILE } = process.env;
  if (!SERVER || !FILE) {
    console.error('usage: SERVER=<server script> FILE=<yaml file> node test/e2e/run-nvim.mjs');
    process.exit(2);
  }
  const t0 = Date.now();
  const r = await runNvim({ server: SERVER, file: FILE, node: process.env.NODE,
    timeoutMs: Number(process.env.NVIM_TIMEOUT_MS || 15000), minDiagnostics: Number(process.env.MIN_DIAGNOSTICS || 0) });
  for (const l of r.lines) console.log(l);
  if (r.stderr) console.error(r.stderr);
  console.log(`nvim-lsp: ${r.status === 0 ? '1 passed, 0 failed' : '0 passed, 1 failed'} (${Date.now() - t0} ms)`);
  process.exit(r.status);
}
