/**
 * Regular expressions that come from configuration or policy files run on RE2 (re2js: linear time, no
 * backtracking), and are length-limited, so a hostile pattern cannot stall the editor.
 */
import { RE2JS } from 're2js';

export const MAX_PATTERN_LENGTH = 1000;

export interface SafePattern {
  test(text: string): boolean;
}

export function safeRegExp(pattern: string, flags = ''): SafePattern {
  if (pattern.length > MAX_PATTERN_LENGTH) throw new Error(`pattern longer than ${MAX_PATTERN_LENGTH} characters`);
  const compiled = RE2JS.compile(pattern, flags.includes('i') ? RE2JS.CASE_INSENSITIVE : 0);
  return { test: (text: string) => compiled.matcher(text).find() };
}
