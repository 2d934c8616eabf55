/**
 * Finds and reads the CLI's input files: explicit files, directories walked for manifests, or stdin.
 * Decoding mirrors an editor: UTF-8 (BOM stripped) or UTF-16 with a BOM; anything else is reported, not guessed.
 */
import { lstatSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { extname, join, relative, resolve, sep } from 'node:path';
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

const MANIFEST_EXTENSIONS = new Set(['.yaml', '.yml', '.json']);
const SKIPPED_DIRECTORIES = new Set(['node_modules', '.git', '.hg', '.svn']);
/** kgov's own configuration is checked as configuration, not audited as a manifest. */
const SKIPPED_FILES = new Set(['.kgov.yaml', '.kgov.yml']);

export function decode(bytes: Buffer): { text?: string; problem?: string } {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { text: bytes.subarray(2).toString('utf16le') };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) {
    const swapped = Buffer.from(bytes.subarray(2));
    swapped.swap16();
    return { text: swapped.toString('utf16le') };
  }
  const probe = bytes.subarray(0, 8192);
  if (probe.includes(0)) return { problem: 'This is a binary file, not a YAML manifest.' };
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return { text: text.charCodeAt(0) === 0xfeff ? text.slice(1) : text };
  } catch {
    return { problem: 'This file is not valid UTF-8 (or UTF-16 with a byte order mark).' };
  }
}

function read(path: string, display: string): InputFile {
  try {
    return { path, display, ...decode(readFileSync(path)) };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { path, display, problem: code === 'EACCES' ? 'Permission denied: the file cannot be read.' : `The file cannot be read (${code ?? String(error)}).` };
  }
}

export type IgnoreTest = (absolutePath: string) => boolean;

/** Walks a directory for manifests, skipping VCS and dependency folders and never leaving `root` through a symlink. */
function walk(root: string, isIgnored: IgnoreTest, out: string[]): void {
  const realRoot = realpathSync(root);
  const seen = new Set<string>();
  const visit = (dir: string) => {
    let real: string;
    try {
      real = realpathSync(dir);
    } catch {
      return;
    }
    if (seen.has(real) || (real !== realRoot && !real.startsWith(realRoot + sep))) return;
    seen.add(real);
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const path = join(dir, entry.name);
      if (isIgnored(path)) continue;
      let isDirectory = entry.isDirectory();
      let isFile = entry.isFile();
      if (entry.isSymbolicLink()) {
        try {
          const target = realpathSync(path);
          if (target !== realRoot && !target.startsWith(realRoot + sep)) continue;
          const stat = statSync(path);
          isDirectory = stat.isDirectory();
          isFile = stat.isFile();
        } catch {
          continue;
        }
      }
      if (isDirectory) {
        if (!SKIPPED_DIRECTORIES.has(entry.name)) visit(path);
      } else if (isFile && MANIFEST_EXTENSIONS.has(extname(entry.name).toLowerCase()) && !SKIPPED_FILES.has(entry.name)) {
        out.push(path);
      }
    }
  };
  visit(root);
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
      const walked: string[] = [];
      walk(absolute, isIgnored, walked);
      for (const path of walked) found.push([path, false]);
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
