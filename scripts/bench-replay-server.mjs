#!/usr/bin/env node
/**
 * The floor of the keystroke figure (npm run bench:editor): an LSP server over stdio that passes every message
 * between the client and kgov's language server, except edits. A didChange is not passed on: the client gets the
 * diagnostics kgov last published for that document at once, with the new version. What the harness then measures
 * is the cost of sending and reading that many diagnostics on this machine, with no work for them.
 * Usage: node scripts/bench-replay-server.mjs node server/out/server.js --stdio
 */
import { spawn } from 'node:child_process';

const [command, ...args] = process.argv.slice(2);
const server = spawn(command, args, { stdio: ['pipe', 'pipe', 'inherit'] });
const lastPublished = new Map();

/** Calls `onMessage(body, raw)` for each Content-Length framed message of a stream. */
function frames(stream, onMessage) {
  let pending = Buffer.alloc(0);
  stream.on('data', (chunk) => {
    pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
    for (;;) {
      const headerEnd = pending.indexOf('\r\n\r\n');
      if (headerEnd < 0) return;
      const length = Number(/Content-Length:\s*(\d+)/i.exec(pending.subarray(0, headerEnd).toString('ascii'))?.[1]);
      const end = headerEnd + 4 + length;
      if (pending.length < end) return;
      onMessage(pending.subarray(headerEnd + 4, end), pending.subarray(0, end));
      pending = pending.subarray(end);
    }
  });
}

function send(message) {
  const body = JSON.stringify({ jsonrpc: '2.0', ...message });
  process.stdout.write(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
}

frames(process.stdin, (body, raw) => {
  // Only edits are looked at; every other message goes on as it came.
  if (body.includes('"textDocument/didChange"')) {
    const message = JSON.parse(body.toString('utf8'));
    if (message.method === 'textDocument/didChange') {
      const { uri, version } = message.params.textDocument;
      send({ method: 'textDocument/publishDiagnostics', params: { uri, version, diagnostics: lastPublished.get(uri) ?? [] } });
      return;
    }
  }
  server.stdin.write(raw);
});

frames(server.stdout, (body, raw) => {
  if (body.includes('"textDocument/publishDiagnostics"')) {
    const message = JSON.parse(body.toString('utf8'));
    if (message.method === 'textDocument/publishDiagnostics') lastPublished.set(message.params.uri, message.params.diagnostics);
  }
  process.stdout.write(raw);
});

server.on('exit', (code) => process.exit(code ?? 0));
process.stdin.on('end', () => server.stdin.end());
