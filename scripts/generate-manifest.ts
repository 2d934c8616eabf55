/**
 * npm run settings: writes package.json `contributes.configuration` from the one declaration of the settings
 * (server/src/shared/settings.ts). A test fails when package.json is stale.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { SETTINGS } from '../server/src/shared/settings';

const path = join(resolve(__dirname, '..'), 'package.json');
const manifest = JSON.parse(readFileSync(path, 'utf8')) as { contributes?: Record<string, unknown> };
const properties = Object.fromEntries(SETTINGS.map((s) => [s.key, {
  type: s.type,
  default: s.default,
  ...(s.enum ? { enum: s.enum } : {}),
  ...(s.enumDescriptions ? { enumDescriptions: s.enumDescriptions } : {}),
  ...(s.type === 'object' ? { additionalProperties: { type: 'string', enum: ['off', 'info', 'warning', 'error'] } } : {}),
  ...(s.type === 'array' ? { items: { type: 'string' } } : {}),
  markdownDescription: s.markdownDescription,
  scope: s.scope,
}]));
manifest.contributes = { ...manifest.contributes, configuration: { title: 'kgov', properties } };
const text = `${JSON.stringify(manifest, null, 2)}\n`;
if (process.argv.includes('--check')) {
  if (readFileSync(path, 'utf8') !== text) {
    console.error('package.json contributes.configuration is stale: run npm run settings');
    process.exit(1);
  }
} else writeFileSync(path, text);
