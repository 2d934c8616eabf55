/** Entry of the `kgov` CLI bundle (server/out/cli.js); the same file runs the audit worker threads. */
import { isMainThread, workerData } from 'node:worker_threads';
import { main, processIo } from './cli/main';
import { runWorker } from './cli/parallel';

if (!isMainThread && (workerData as { kgovWorker?: boolean } | null)?.kgovWorker) {
  runWorker();
} else {
  void main(process.argv.slice(2), processIo(__filename)).then((code) => {
    process.exitCode = code;
  });
}
