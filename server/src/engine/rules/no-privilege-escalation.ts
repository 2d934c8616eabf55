import { docsUrl } from '../registry/docs';
import { defineRule } from '../rule';
import { listAt } from './utils/json';
import { missingAt } from './utils/container';
import { isWindowsPod, securityContextOf } from './utils/security-context';

/**
 * PSS restricted "Privilege Escalation" (`allowPrivilegeEscalation`): every container (init and ephemeral included)
 * sets `allowPrivilegeEscalation: false` explicitly; there is no pod-level field and the default is true.
 * A privileged container, or one adding CAP_SYS_ADMIN, always escalates, and the API rejects
 * `allowPrivilegeEscalation: false` beside them: it gets its own message and no fix. Windows pods are exempt
 * (pod-security-admission since v1.25; the API rejects the field on them).
 */
export default defineRule({
  meta: {
    id: 'no-privilege-escalation',
    category: 'security',
    defaultSeverity: 'warning',
    target: { kinds: 'workloads', scope: 'container' },
    docs: {
      summary: 'Containers set `allowPrivilegeEscalation: false`.',
      rationale: 'Unless allowPrivilegeEscalation is false, the container\'s processes may gain more privileges than their parent, through setuid and setgid binaries or file capabilities: a compromised process running as a normal user can become root inside the container with a single `su`-like binary left in the image. Setting it to false sets the kernel\'s no_new_privs flag. The field defaults to true and exists only on containers, so the restricted Pod Security Standard requires it explicitly on every container, init and ephemeral containers included. A privileged container, or one that adds CAP_SYS_ADMIN, can always escalate and the API rejects the setting beside them: those are reported with their reason and no fix. Windows pods are exempt.',
      url: docsUrl('no-privilege-escalation'),
    },
    messages: {
      pass: 'Container "{{name}}" cannot escalate privileges (allowPrivilegeEscalation: false).',
      missing: 'Container "{{name}}" does not set allowPrivilegeEscalation: false, so its processes may gain privileges (it defaults to true).',
      allowed: 'Container "{{name}}" sets allowPrivilegeEscalation: true.',
      privileged: 'Container "{{name}}" is privileged, so it can always escalate privileges; allowPrivilegeEscalation: false requires privileged to be off.',
      sysAdmin: 'Container "{{name}}" adds {{capability}}, so it can always escalate privileges; allowPrivilegeEscalation: false requires removing it.',
    },
    aliases: { pss: 'allowPrivilegeEscalation', kubeLinter: 'privilege-escalation-container', polaris: 'privilegeEscalationAllowed' },
    fixable: true,
    checklist: 'security',
  },
  check(ctx) {
    if (isWindowsPod(ctx.podSpec)) return;
    const name = String(ctx.value.name ?? '');
    const own = ctx.get('/securityContext/allowPrivilegeEscalation');
    if (own === false) return;
    if (ctx.get('/securityContext/privileged') === true) {
      ctx.report({ messageId: 'privileged', data: { name }, at: '/securityContext/privileged' });
      return;
    }
    const add = listAt(ctx.value, '/securityContext/capabilities/add');
    const sysAdmin = add.findIndex((c) => c === 'SYS_ADMIN' || c === 'CAP_SYS_ADMIN');
    if (sysAdmin >= 0) {
      ctx.report({ messageId: 'sysAdmin', data: { name, capability: String(add[sysAdmin]) }, at: `/securityContext/capabilities/add/${sysAdmin}` });
      return;
    }
    const path = '/securityContext/allowPrivilegeEscalation';
    if (own === true) {
      ctx.report({ messageId: 'allowed', data: { name }, at: path, fix: { title: 'Set allowPrivilegeEscalation: false', patch: [{ op: 'replace', path, value: false }] } });
      return;
    }
    ctx.report({ messageId: 'missing', data: { name }, at: missingAt(securityContextOf(ctx.value), path), fix: { title: 'Set allowPrivilegeEscalation: false', patch: [{ op: 'add', path, value: false }] } });
  },
});
