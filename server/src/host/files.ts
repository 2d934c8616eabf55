/**
 * Reading manifests from disk, shared by the CLI and the language server: walking a folder (skipping VCS and
 * dependency folders, never leaving the root through a symlink) and decoding text the way an editor does.
 */
import { readdirSync, realpathSync, statSync } from 'node:fs';
import { extname, join, sep } from 'node:path';

export const MANIFEST_EXTENSIONS = new Set(['.yaml', '.yml', '.json']);
const SKIPPED_DIRECTORIES = new Set(['node_modules', '.git', '.hg', '.svn']);
/** kgov's own configuration is checked as configuration, not audited as a manifest. */
const SKIPPED_FILES = new Set(['.kgov.yaml', '.kgov.yml']);

/** UTF-8 (a byte order mark is dropped) or UTF-16 with a byte order mark; anything else is reported, not guessed. */
export function decode(bytes: Buffer): { text?: string; problem?: string } {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { text: bytes.subarray(2).toString('utf16le') };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) {
    const swapped = Buffer.from(bytes.subarray(2));
    swapped.swap16();
    return { text: swapped.toString('utf16le') };
  }
  if (bytes.subarray(0, 8192).includes(0)) return { problem: 'This is a binary file, not a YAML manifest.' };
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return { text: text.charCodeAt(0) === 0xfeff ? text.slice(1) : text };
  } catch {
    return { problem: 'This file is not valid UTF-8 (or UTF-16 with a byte order mark).' };
  }
}

export type IgnoreTest = (absolutePath: string) => boolean;

/** Manifest files under `root` (sorted), skipping VCS and dependency folders and symlinks that leave `root`. */
export function walkManifests(root: string, isIgnored: IgnoreTest, extensions: ReadonlySet<string> = MANIFEST_EXTENSIONS): string[] {
  const out: string[] = [];
  const realRoot = realpathSync(root);
  const seen = new Set<string>();
  const inside = (real: string) => real === realRoot || real.startsWith(realRoot + sep);
  const visit = (dir: string) => {
    let real: string;
    try {
      real = realpathSync(dir);
    } catch {
      return;
    }
    if (seen.has(real) || !inside(real)) return;
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
          if (!inside(realpathSync(path))) continue;
          const stat = statSync(path);
          isDirectory = stat.isDirectory();
          isFile = stat.isFile();
        } catch {
          continue;
        }
      }
      if (isDirectory) {
        if (!SKIPPED_DIRECTORIES.has(entry.name)) visit(path);
      } else if (isFile && extensions.has(extname(entry.name).toLowerCase()) && !SKIPPED_FILES.has(entry.name)) {
        out.push(path);
      }
    }
  };
  visit(root);
  return out;
}
