/** Editor features of the engine (completion, hover, symbols) on text as it is while typing. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Worker } from 'node:worker_threads';
import { complete, hover } from '../../server/src/engine';
import { DEFAULT_CONFIG } from '../../server/src/engine/config/config';
import { createEngine } from '../../server/src/engine/engine';
import { schemasDir } from '../../server/src/host/paths';

/** Runs complete() in a worker, so that a loop that never ends fails the test instead of hanging it. */
function completeWithDeadline(text: string, offset: number, ms: number): Promise<string[] | 'timeout'> {
  const worker = new Worker(`
    const { parentPort, workerData } = require('node:worker_threads');
    require('tsx/cjs/api').register();
    const { createEngine } = require(workerData.engine);
    const { complete } = require(workerData.editor);
    const engine = createEngine({ schemasDir: workerData.schemas });
    parentPort.postMessage(complete(engine, '/x.yaml', workerData.text, workerData.offset).map((c) => c.label));
  `, { eval: true, workerData: { engine: require.resolve('../../server/src/engine/engine'), editor: require.resolve('../../server/src/engine'), schemas: schemasDir(), text, offset } });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void worker.terminate();
      resolve('timeout');
    }, ms);
    worker.once('message', (labels: string[]) => {
      clearTimeout(timer);
      void worker.terminate();
      resolve(labels);
    });
    worker.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}

describe('completion', () => {
  it('answers in a file that starts with an empty line (it looped forever; found by the fuzzer)', async () => {
    // The cursor line is indented and no line above is a parent: the scan for parents reaches the first line.
    const text = '\n# Copyright header\n  ';
    const labels = await completeWithDeadline(text, text.length, 30_000);
    assert.notEqual(labels, 'timeout', 'complete() did not return within 30 s');
    assert.ok(Array.isArray(labels) && labels.includes('Deployment (apps/v1)'), 'no apiVersion and kind yet: whole resources are offered');
  });

  it('offers the keys of the mapping the cursor is in', () => {
    const text = 'apiVersion: apps/v1\nkind: Deployment\nspec:\n  replicas: 2\n  ';
    const labels = complete(createEngine({ schemasDir: schemasDir() }), '/x.yaml', text, text.length).map((c) => c.label);
    assert.ok(labels.includes('template') && !labels.includes('replicas'), labels.join(', '));
  });
});

describe('custom resources of the CRD catalog', () => {
  const text = 'apiVersion: monitoring.coreos.com/v1\nkind: ServiceMonitor\nmetadata:\n  name: web\nspec:\n  endpoints:\n    - port: http\n      ';

  it('hover documents a field from the catalog CRD and names it', () => {
    const at = text.indexOf('port: http');
    const answer = hover(createEngine({ schemasDir: schemasDir() }), '/x.yaml', text, at + 1);
    assert.ok(answer, 'no hover');
    assert.match(answer.contents, /\*\*port\*\* `string`/);
    assert.match(answer.contents, /CRD servicemonitors\.monitoring\.coreos\.com \(prometheus-operator v[\d.]+ CRD from kgov's catalog\)/);
  });

  it('completes the keys of the mapping the cursor is in from the catalog CRD', () => {
    const labels = complete(createEngine({ schemasDir: schemasDir() }), '/x.yaml', text, text.length).map((c) => c.label);
    assert.ok(labels.includes('interval') && labels.includes('honorLabels') && !labels.includes('port'), labels.join(', '));
  });

  it('neither, with the catalog turned off', () => {
    const engine = createEngine({ schemasDir: schemasDir(), config: { ...DEFAULT_CONFIG, crdCatalog: { enabled: false, exclude: [] } } });
    assert.equal(hover(engine, '/x.yaml', text, text.indexOf('port: http') + 1), undefined);
    assert.deepEqual(complete(engine, '/x.yaml', text, text.length).map((c) => c.label).filter((l) => l === 'interval'), []);
  });
});
