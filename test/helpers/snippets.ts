/** VS Code snippet bodies as inserted when every placeholder keeps its default. */

/** Snippet syntax → inserted text: `${1:web}` → web, `${1|a,b|}` → a, `$0`/`$1` → nothing, `\$` → $. */
export function expandDefaults(body: string): string {
  let text = body;
  // Placeholders may nest (`${1:a ${2:b}}`): expand the innermost first until none is left.
  for (let previous = ''; previous !== text; ) {
    previous = text;
    text = text
      .replace(/\$\{\d+:([^${}]*)\}/g, '$1')
      .replace(/\$\{\d+\|([^,|]*)[^|]*\|\}/g, '$1');
  }
  return text.replace(/\$\d+/g, '').replace(/\\\$/g, '$');
}
