/**
 * Regular expressions that come from configuration, policy or CRD files run on RE2 (re2js: linear time, no
 * backtracking), and are length-limited, so a hostile pattern cannot stall the editor.
 */
import { RE2JS } from 're2js';

export const MAX_PATTERN_LENGTH = 1000;

export interface SafePattern {
  test(text: string): boolean;
  /** `/pattern/flags`, as RegExp#toString: ajv keys its compiled patterns by it. */
  toString(): string;
}

export function safeRegExp(pattern: string, flags = ''): SafePattern {
  if (pattern.length > MAX_PATTERN_LENGTH) throw new Error(`pattern longer than ${MAX_PATTERN_LENGTH} characters`);
  const compiled = RE2JS.compile(pattern, flags.includes('i') ? RE2JS.CASE_INSENSITIVE : 0);
  const source = `/${pattern}/${flags}`;
  return { test: (text: string) => compiled.matcher(text).find(), toString: () => source };
}

/**
 * safeRegExp as ajv's `code.regExp` engine. ajv shares one compiled pattern between all schemas of an instance
 * under the key `toString()` gives, so without its own toString every pattern would stand for the first one.
 */
export const re2Engine = Object.assign((pattern: string, flags: string) => safeRegExp(pattern, flags), { code: 'kgov.re2' });
