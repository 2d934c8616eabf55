// Bundles the extension client, the language server and the CLI with esbuild (type checking is `npm run typecheck`).
import * as esbuild from 'esbuild';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/** @type {import('esbuild').BuildOptions} */
const common = {
  bundle: true, platform: 'node', format: 'cjs', target: 'node20', sourcemap: !production, minify: production,
  logLevel: 'warning', metafile: true, legalComments: 'none',
};

/**
 * The cluster features (and @kubernetes/client-node, over 1 MB) live in server/out/cluster.js: the server and the
 * CLI require it at run time only when asked to (server/src/cluster/load.ts), so nobody else pays to parse it.
 */
const clusterApart = {
  name: 'cluster-apart',
  setup(build) {
    build.onResolve({ filter: /^\.\/index$/ }, (args) =>
      (args.importer.replace(/\\/g, '/').endsWith('server/src/cluster/load.ts') ? { path: './cluster.js', external: true } : undefined));
  },
};

const targets = [
  { entryPoints: ['client/src/extension.ts'], outfile: 'client/out/extension.js', external: ['vscode'] },
  // `dynamic-import: false`: load it with require(), which resolves next to the bundle everywhere (the extension host too).
  { entryPoints: ['server/src/server.ts'], outfile: 'server/out/server.js', plugins: [clusterApart], supported: { 'dynamic-import': false } },
  { entryPoints: ['server/src/cli.ts'], outfile: 'server/out/cli.js', banner: { js: '#!/usr/bin/env node' }, plugins: [clusterApart], supported: { 'dynamic-import': false } },
  { entryPoints: ['server/src/cluster/index.ts'], outfile: 'server/out/cluster.js' },
];

/** Prints errors in the form the $esbuild-watch problem matcher reads. */
const problemMatcher = {
  name: 'problem-matcher',
  setup(build) {
    build.onStart(() => console.log('[watch] build started'));
    build.onEnd((result) => {
      for (const { text, location } of result.errors) {
        console.error(`✘ [ERROR] ${text}`);
        if (location) console.error(`    ${location.file}:${location.line}:${location.column}:`);
      }
      console.log('[watch] build finished');
    });
  },
};

mkdirSync('server/out', { recursive: true });
for (const target of targets.filter((t) => existsSync(t.entryPoints[0]))) {
  const options = { ...common, ...target, plugins: [...(target.plugins ?? []), ...(watch ? [problemMatcher] : [])] };
  if (watch) {
    const context = await esbuild.context(options);
    await context.watch();
  } else {
    const result = await esbuild.build(options);
    // The metafile lets a test check what each bundle contains (the CLI must not pull in vscode-languageserver).
    writeFileSync(`${target.outfile}.meta.json`, JSON.stringify(result.metafile));
  }
}
