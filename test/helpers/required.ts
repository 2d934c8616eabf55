/**
 * Tests that need a tool from outside npm (libyaml in Debian's python3-yaml, the real kubectl) skip with the reason
 * when it is missing, except in CI (`.ci/run` sets KGOV_REQUIRE_TOOLS=1), where a missing tool is a failure.
 */
export function skipWithout(missing: string | undefined): string | false {
  if (missing === undefined) return false;
  if (process.env.KGOV_REQUIRE_TOOLS === '1') throw new Error(`required test tool missing: ${missing}`);
  return missing;
}
