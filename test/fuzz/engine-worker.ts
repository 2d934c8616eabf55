/**
 * The engine side of the fuzzer in a worker thread, so that an input that never returns (an endless loop in the
 * engine is synchronous) is seen by a watchdog in the main thread instead of stopping the run: EngineHost sends
 * each input, waits at most HANG_MS for the answer, and on silence records a `hang`, terminates the worker and
 * starts a new one.
 */
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import type { CorpusFile } from '../unit/helpers/corpus';
import type { FuzzFailure } from './check';
import { EngineDriver, type EngineDriverOptions } from './engine-driver';
import type { FuzzInput } from './inputs';

/** Far above the 2 s budget: only an input that does not come back gets here. */
export const HANG_MS = Number(process.env.KGOV_FUZZ_HANG_MS ?? 60_000);

interface Reply {
  failures: FuzzFailure[];
  stats: EngineDriver['stats'];
}

type Stats = EngineDriver['stats'];

const addStats = (total: Stats, part: Stats): Stats => ({
  inputs: total.inputs + part.inputs,
  findings: total.findings + part.findings,
  fixesApplied: total.fixesApplied + part.fixesApplied,
  fixRuns: total.fixRuns + part.fixRuns,
  maxCpuMs: Math.max(total.maxCpuMs, part.maxCpuMs),
  slowestOperation: part.maxCpuMs > total.maxCpuMs ? part.slowestOperation : total.slowestOperation,
  retried: total.retried + part.retried,
});

export class EngineHost {
  private worker: Worker | undefined;
  /** Stats of workers that were replaced, and of the current one. */
  private finished: Stats = { inputs: 0, findings: 0, fixesApplied: 0, fixRuns: 0, maxCpuMs: 0, slowestOperation: '', retried: 0 };
  private current: Stats = { ...this.finished };
  hangs = 0;

  constructor(private readonly files: CorpusFile[], private readonly options: EngineDriverOptions) {}

  get stats(): Stats {
    return addStats(this.finished, this.current);
  }

  private start(): Worker {
    // The worker loads TypeScript through tsx, as the main thread does.
    const worker = new Worker(`require(${JSON.stringify(require.resolve('tsx/cjs/api'))}).register(); require(${JSON.stringify(__filename)});`, {
      eval: true, workerData: { files: this.files, options: this.options },
    });
    worker.unref();
    return worker;
  }

  run(input: FuzzInput): Promise<FuzzFailure[]> {
    const worker = (this.worker ??= this.start());
    return new Promise((resolve) => {
      const done = (failures: FuzzFailure[]) => {
        clearTimeout(timer);
        worker.off('message', onMessage);
        worker.off('error', onError);
        resolve(failures);
      };
      const replace = () => {
        this.finished = addStats(this.finished, this.current);
        this.current = { ...this.current, inputs: 0, findings: 0, fixesApplied: 0, fixRuns: 0, maxCpuMs: 0, retried: 0 };
        void worker.terminate();
        this.worker = undefined;
      };
      const failure = (category: FuzzFailure['category'], detail: string): FuzzFailure =>
        ({ category, where: 'engine', input: input.index, kind: input.kind, ...(input.source ? { source: input.source } : {}), detail });
      const timer = setTimeout(() => {
        this.hangs++;
        replace();
        done([failure('hang', `no answer within ${HANG_MS / 1000} s: the engine does not return on this input (a hang)`)]);
      }, HANG_MS);
      const onMessage = (reply: Reply) => {
        this.current = reply.stats;
        done(reply.failures);
      };
      const onError = (error: Error) => {
        replace();
        done([failure('crash', `the engine worker died: ${error.stack ?? error.message}`)]);
      };
      worker.on('message', onMessage);
      worker.once('error', onError);
      worker.postMessage(input);
    });
  }

  async stop(): Promise<void> {
    await this.worker?.terminate();
    this.worker = undefined;
  }
}

if (!isMainThread && parentPort && (workerData as { files?: unknown } | undefined)?.files) {
  const { files, options } = workerData as { files: CorpusFile[]; options: EngineDriverOptions };
  const driver = new EngineDriver(files, options);
  const port = parentPort;
  port.on('message', (message: FuzzInput) => {
    // Buffers arrive as plain Uint8Arrays.
    const input: FuzzInput = message.bytes ? { ...message, bytes: Buffer.from(message.bytes.buffer, message.bytes.byteOffset, message.bytes.byteLength) } : message;
    const failures = driver.run(input);
    port.postMessage({ failures, stats: driver.stats } satisfies Reply);
  });
}
