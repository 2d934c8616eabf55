/**
 * Test-only shim so that @kubernetes/client-node 2.0.1 can be loaded on Node 20.
 *
 * client-node 2.0.1 depends on undici ^8 (installed: 8.x, `engines.node >= 22.19`), which on
 * Node 20 dies at load time or on the first request:
 *   - lib/interceptor/decompress.js calls `zlib.createZstdDecompress.bind(...)` at module load
 *     (zstd is Node >= 22.15): "TypeError: Cannot read properties of undefined (reading 'bind')";
 *   - lib/web/webidl uses `require('node:worker_threads').markAsUncloneable` (Node >= 22.10):
 *     "TypeError: webidl.util.markAsUncloneable is not a function";
 *   - fetch() uses `Promise.withResolvers` (Node >= 22): "Promise.withResolvers is not a function".
 *
 * This module must be imported BEFORE @kubernetes/client-node. On Node >= 22.19 it does nothing.
 * It is a test aid, not the product fix: the product either needs Node >= 22.19 (VS Code >= the
 * Electron release that ships it) or an npm override pinning undici to a Node-20-capable major.
 */
import zlib from 'node:zlib';
import workerThreads from 'node:worker_threads';

const z = zlib as unknown as Record<string, unknown>;
if (typeof z.createZstdDecompress !== 'function') {
  z.createZstdDecompress = () => {
    const err = new Error('zstd decompression is not available on this Node.js version') as Error & { code: string };
    err.code = 'ERR_UNSUPPORTED_OPERATION';
    throw err;
  };
}

const wt = workerThreads as unknown as Record<string, unknown>;
if (typeof wt.markAsUncloneable !== 'function') {
  wt.markAsUncloneable = () => {};
}

const P = Promise as unknown as { withResolvers?: unknown };
if (typeof P.withResolvers !== 'function') {
  P.withResolvers = function withResolvers<T>() {
    let resolve!: (v: T | PromiseLike<T>) => void;
    let reject!: (e: unknown) => void;
    const promise = new Promise<T>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    return { promise, resolve, reject };
  };
}

export const node20CompatApplied = Number(process.versions.node.split('.')[0]) < 22;
