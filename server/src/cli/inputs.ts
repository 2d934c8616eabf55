/**
 * Finds and reads the CLI's input files: explicit files, directories walked for manifests, or stdin.
 * Decoding mirrors an editor: UTF-8 (BOM stripped) or UTF-16 with a BOM; anything else is reported, not guessed.
 */
import { lstatSync, readFileSync, statSync } from 'node:fs';
import { extname, relative, resolve } from 'node:path';
import { decode, walkManifests, type IgnoreTest } from '../host/files';

export type { IgnoreTest };
import { UsageError } from './args';

export interface InputFile {
  /** Absolute path, or '-' for stdin. */
  path: string;
  /** What the report shows: relative to the working directory. */
  display: string;
  text?: string;
  /** Why the file could not be read as text. */
  problem?: string;
}

function read(path: string, display: string): InputFile {
  try {
    return { path, display, ...decode(readFileSync(path)) };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { path, display, problem: code === 'EACCES' ? 'Permission denied: the file cannot be read.' : `The file cannot be read (${code ?? String(error)}).` };
  }
}

/** A JSON file found by walking is only a candidate if it mentions apiVersion or kind (package.json is not a manifest). */
function isCandidate(file: InputFile, explicit: boolean): boolean {
  if (explicit || file.problem || extname(file.path).toLowerCase() !== '.json') return true;
  return /"(apiVersion|kind)"\s*:/.test(file.text ?? '');
}

export function collectInputs(paths: string[], isIgnored: IgnoreTest, stdin: () => string, cwd = process.cwd()): InputFile[] {
  const files: InputFile[] = [];
  const seen = new Set<string>();
  for (const input of paths) {
    if (input === '-') {
      files.push({ path: '-', display: '<stdin>', ...decode(Buffer.from(stdin(), 'utf8')) });
      continue;
    }
    const absolute = resolve(cwd, input);
    let stat;
    try {
      stat = lstatSync(absolute);
      if (stat.isSymbolicLink()) stat = statSync(absolute);
    } catch {
      throw new UsageError(`path not found: ${input}`);
    }
    const found: Array<[string, boolean]> = [];
    if (stat.isDirectory()) {
      for (const path of walkManifests(absolute, isIgnored)) found.push([path, false]);
    } else {
      found.push([absolute, true]);
    }
    for (const [path, explicit] of found) {
      if (seen.has(path)) continue;
      seen.add(path);
      const file = read(path, relative(cwd, path) || path);
      if (isCandidate(file, explicit)) files.push(file);
    }
  }
  return files;
}
