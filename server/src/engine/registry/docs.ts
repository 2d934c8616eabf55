/** Where each rule's documentation lives (generated into docs/rules/ and published with the repository). */
export const REPOSITORY_URL = 'https://github.com/kgov-dev/kgov';

export function docsUrl(ruleId: string): string {
  return `${REPOSITORY_URL}/blob/main/docs/rules/${ruleId}.md`;
}

/** Path of a rule's page inside the repository or the installed extension. */
export function docsPath(ruleId: string): string {
  return `docs/rules/${ruleId}.md`;
}
