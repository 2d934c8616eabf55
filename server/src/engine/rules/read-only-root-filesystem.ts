import { docsUrl } from '../registry/docs';
import { defineRule } from '../rule';
import { missingAt } from './utils/container';
import { isWindowsPod, securityContextOf } from './utils/security-context';

const COMMENT = 'kgov: the app must not write outside mounted volumes';

/**
 * Polaris `notReadOnlyRootFilesystem`, kube-linter `no-read-only-root-fs`, kube-score
 * `container-security-context-readonlyrootfilesystem`: every container (init and ephemeral included) sets
 * `readOnlyRootFilesystem: true` (a container-only field). Windows pods are exempt (the API rejects the field there).
 */
export default defineRule({
  meta: {
    id: 'read-only-root-filesystem',
    category: 'security',
    defaultSeverity: 'warning',
    target: { kinds: 'workloads', scope: 'container' },
    docs: {
      summary: 'Containers mount their root filesystem read-only (`readOnlyRootFilesystem: true`).',
      rationale: 'A writable root filesystem lets an attacker who gets code execution drop tools, replace binaries or libraries of the image and persist until the container restarts; it also hides state in the container layer, where it is lost on restart and counts against the node\'s disk. With readOnlyRootFilesystem the image stays what was built and scanned, and the places the application writes to (temporary files, caches) become explicit emptyDir or persistent volumes. The fix sets it to true with a comment, because an application that writes outside its mounted volumes then fails: add an emptyDir for such paths (often /tmp). Windows pods are exempt.',
      url: docsUrl('read-only-root-filesystem'),
    },
    messages: {
      pass: 'Container "{{name}}" has a read-only root filesystem.',
      missing: 'Container "{{name}}" can write to its root filesystem: readOnlyRootFilesystem is not set.',
      writable: 'Container "{{name}}" sets readOnlyRootFilesystem: false.',
    },
    aliases: { polaris: 'notReadOnlyRootFilesystem', kubeLinter: 'no-read-only-root-fs', kubeScore: 'container-security-context-readonlyrootfilesystem' },
    fixable: true,
    checklist: 'security',
  },
  check(ctx) {
    if (isWindowsPod(ctx.podSpec)) return;
    const name = String(ctx.value.name ?? '');
    const path = '/securityContext/readOnlyRootFilesystem';
    const own = ctx.get(path);
    if (own === true) return;
    const title = 'Set readOnlyRootFilesystem: true';
    if (own === false) {
      // No comment here: fix.ts would write it inside a flow mapping (`{readOnlyRootFilesystem: true  # ...}`),
      // which does not parse, and the fix would be dropped. Whoever wrote `false` knows what the setting does.
      ctx.report({ messageId: 'writable', data: { name }, at: path, fix: { title, patch: [{ op: 'replace', path, value: true }] } });
      return;
    }
    ctx.report({ messageId: 'missing', data: { name }, at: missingAt(securityContextOf(ctx.value), path), fix: { title, patch: [{ op: 'add', path, value: true, comment: COMMENT }] } });
  },
});
