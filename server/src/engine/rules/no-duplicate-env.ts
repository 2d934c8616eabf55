import { docsUrl } from '../registry/docs';
import { asList, asObject } from './utils/json';
import { defineRule } from '../rule';

/**
 * kube-linter `duplicate-env-var`, kube-score `environment-variable-key-duplication`: one name, one definition
 * per container (init and ephemeral containers included). No fix: which definition is meant is the author's call.
 */
export default defineRule({
  meta: {
    id: 'no-duplicate-env',
    category: 'reliability',
    defaultSeverity: 'warning',
    target: { kinds: 'workloads', scope: 'container' },
    docs: {
      summary: 'A container does not define the same environment variable twice.',
      rationale: 'When `env` lists a name twice, the later entry silently wins (the API server only warns), so the value a reader sees first is not the one the process gets. It usually comes from a merge, a patch or a template that added a variable that was already there, and the two values often differ. There is no fix: only you know which definition is meant.',
      url: docsUrl('no-duplicate-env'),
    },
    messages: {
      pass: 'Container "{{name}}" defines each environment variable once.',
      duplicate: 'Container "{{name}}" defines {{env}} again (first at env[{{first}}]); this later definition silently wins.',
    },
    aliases: { kubeLinter: 'duplicate-env-var', kubeScore: 'environment-variable-key-duplication' },
    checklist: 'availability',
  },
  check(ctx) {
    const name = String(ctx.value.name ?? '');
    const seen = new Map<string, number>();
    asList(ctx.value.env).forEach((item, index) => {
      const env = asObject(item)?.name;
      if (typeof env !== 'string') return;
      const first = seen.get(env);
      if (first === undefined) seen.set(env, index);
      else ctx.report({ messageId: 'duplicate', data: { name, env, first }, at: `/env/${index}/name`, anchor: 'value' });
    });
  },
});
