import { docsUrl } from '../registry/docs';
import { isJsonObject } from '../types';
import { listAt } from './utils/json';
import { minorOf, removalPath } from './utils/security-context';
import { defineRule } from '../rule';

/** pod-security-admission `check_sysctls.go`: the safe set, by the Kubernetes minor version that added each name. */
const SAFE_SINCE: ReadonlyMap<string, number> = new Map([
  ['kernel.shm_rmid_forced', 0],
  ['net.ipv4.ip_local_port_range', 0],
  ['net.ipv4.ip_unprivileged_port_start', 0],
  ['net.ipv4.tcp_syncookies', 0],
  ['net.ipv4.ping_group_range', 0],
  ['net.ipv4.ip_local_reserved_ports', 27],
  ['net.ipv4.tcp_keepalive_time', 29],
  ['net.ipv4.tcp_fin_timeout', 29],
  ['net.ipv4.tcp_keepalive_intvl', 29],
  ['net.ipv4.tcp_keepalive_probes', 29],
  ['net.ipv4.tcp_rmem', 32],
  ['net.ipv4.tcp_wmem', 32],
]);

/**
 * PSS baseline "Sysctls" (`sysctls`): spec.securityContext.sysctls[*].name only from the safe set of the target
 * Kubernetes version, compared exactly (the kubelet also reads `net/ipv4/...`, the admission controller does not).
 */
export default defineRule({
  meta: {
    id: 'safe-sysctls-only',
    category: 'security',
    defaultSeverity: 'warning',
    target: { kinds: 'workloads', scope: 'podSpec' },
    docs: {
      summary: 'Pods set only the sysctls of the Pod Security Standards\' safe set for the target Kubernetes version.',
      rationale: 'A sysctl outside the safe set is not isolated per pod (it changes the node\'s kernel for every workload) or lets a pod exhaust or weaken kernel resources; the kubelet refuses such pods unless the node allows them explicitly with --allowed-unsafe-sysctls. The Pod Security Standards allow at the baseline level kernel.shm_rmid_forced, net.ipv4.ip_local_port_range, net.ipv4.ip_unprivileged_port_start, net.ipv4.tcp_syncookies and net.ipv4.ping_group_range, plus net.ipv4.ip_local_reserved_ports from Kubernetes 1.27, net.ipv4.tcp_keepalive_time, tcp_fin_timeout, tcp_keepalive_intvl and tcp_keepalive_probes from 1.29, and net.ipv4.tcp_rmem and tcp_wmem from 1.32; kgov uses the set of the target version. '
        + 'Names are compared exactly, as the admission controller does: the slash form `net/ipv4/tcp_syncookies`, which the kubelet accepts, gets its own message and a fix that writes the dotted name. '
        + 'For a sysctl outside the safe set the fix removes it (and the list, or the securityContext, it leaves empty): check that the workload does not depend on it. A sysctl that only a newer version allows is reported without a fix: raise the target version or remove it.',
      url: docsUrl('safe-sysctls-only'),
    },
    messages: {
      pass: 'Sets only safe sysctls.',
      unsafe: 'The pod sets sysctl "{{sysctl}}", which is not in the Pod Security Standards\' safe set.',
      newer: 'The pod sets sysctl "{{sysctl}}", which is in the safe set only from Kubernetes 1.{{since}} (the target version is {{version}}).',
      slashes: 'The pod writes sysctl "{{sysctl}}" with slashes; the Pod Security Standards accept only the dotted name "{{dotted}}".',
    },
    aliases: { kubeLinter: 'unsafe-sysctls', pss: 'sysctls' },
    fixable: true,
    checklist: 'security',
  },
  check(ctx) {
    const minor = minorOf(ctx.kubernetesVersion);
    const sysctls = listAt(ctx.value, '/securityContext/sysctls');
    // Last entry first: "fix all" applies one fix per lint, so removing from the end keeps the other indexes valid.
    for (let i = sysctls.length - 1; i >= 0; i--) {
      const entry = sysctls[i];
      if (!isJsonObject(entry) || typeof entry.name !== 'string') continue;
      const sysctl = entry.name;
      const at = `/securityContext/sysctls/${i}/name`;
      const since = SAFE_SINCE.get(sysctl);
      if (since !== undefined && since <= minor) continue;
      if (since !== undefined) {
        ctx.report({ messageId: 'newer', data: { sysctl, since, version: ctx.kubernetesVersion }, at, anchor: 'value' });
        continue;
      }
      const dotted = sysctl.replace(/\//g, '.');
      const dottedSince = sysctl.includes('/') ? SAFE_SINCE.get(dotted) : undefined;
      if (dottedSince !== undefined && dottedSince <= minor) {
        ctx.report({
          messageId: 'slashes', data: { sysctl, dotted }, at, anchor: 'value',
          fix: { title: 'Write {{dotted}}', patch: [{ op: 'replace', path: at, value: dotted }] },
        });
        continue;
      }
      if (dottedSince !== undefined) {
        ctx.report({ messageId: 'newer', data: { sysctl, since: dottedSince, version: ctx.kubernetesVersion }, at, anchor: 'value' });
        continue;
      }
      ctx.report({
        messageId: 'unsafe', data: { sysctl }, at, anchor: 'value',
        fix: { title: 'Remove sysctl {{sysctl}}', patch: [{ op: 'remove', path: removalPath(ctx.value, `/securityContext/sysctls/${i}`) }] },
      });
    }
  },
});
