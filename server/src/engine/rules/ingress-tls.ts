import { docsUrl } from '../registry/docs';
import { joinPointer } from '../util/pointer';
import { isJsonObject } from '../types';
import { defineRule } from '../rule';
import { isApi } from './utils/references';

/** Does a TLS host (possibly `*.example.com`) cover a rule host? */
function covers(tlsHost: string, host: string): boolean {
  const a = tlsHost.toLowerCase();
  const b = host.toLowerCase();
  if (a === b) return true;
  // A wildcard covers exactly one label: *.example.com covers a.example.com, not a.b.example.com.
  return a.startsWith('*.') && !b.startsWith('*.') && b.slice(b.indexOf('.') + 1) === a.slice(2) && b.indexOf('.') > 0;
}

/**
 * Polaris tlsSettingsMissing: an Ingress has `spec.tls`, and every host of its rules is listed in some
 * `spec.tls[].hosts`. A TLS entry without hosts covers every host (the controller's certificate for this
 * Ingress); rules without a host are covered when any TLS entry exists.
 */
export default defineRule({
  meta: {
    id: 'ingress-tls',
    category: 'networking',
    defaultSeverity: 'warning',
    target: { kinds: ['Ingress'], scope: 'object' },
    docs: {
      summary: 'Ingresses configure TLS (`spec.tls`) for every host they serve.',
      rationale: 'Without a TLS section an Ingress serves its hosts over plain HTTP: credentials and cookies cross the network readable by anyone on the path. Each host of `spec.rules` must appear in the `hosts` of some `spec.tls` entry (a wildcard `*.example.com` covers one label, such as `shop.example.com`); a TLS entry without `hosts` covers every host, and rules without a host are covered when any TLS entry exists. There is no fix: the certificate Secret (or the cert-manager annotation that creates it) is a decision for a human.',
      url: docsUrl('ingress-tls'),
    },
    messages: {
      pass: 'Ingress "{{name}}" serves its hosts over TLS.',
      missing: 'Ingress "{{name}}" has no TLS configuration (spec.tls), so it serves plain HTTP.',
      uncovered: 'Host "{{host}}" of Ingress "{{name}}" is in no spec.tls[].hosts, so it is served over plain HTTP.',
    },
    aliases: { polaris: 'tlsSettingsMissing' },
    checklist: 'networking',
  },
  check(ctx) {
    if (!isApi(ctx.resource, 'networking.k8s.io/v1')) {
      ctx.notApplicable();
      return;
    }
    const spec = isJsonObject(ctx.value.spec) ? ctx.value.spec : {};
    const name = ctx.resource.name ?? '';
    const tls = Array.isArray(spec.tls) ? spec.tls.filter(isJsonObject) : [];
    if (tls.length === 0) {
      ctx.report({ messageId: 'missing', data: { name }, at: '/spec/tls', ...(spec.tls === undefined ? {} : { anchor: 'key' as const }) });
      return;
    }
    if (tls.some((t) => !Array.isArray(t.hosts) || t.hosts.length === 0)) return;
    const hosts = tls.flatMap((t) => (Array.isArray(t.hosts) ? t.hosts.filter((h): h is string => typeof h === 'string') : []));
    if (!Array.isArray(spec.rules)) return;
    spec.rules.forEach((rule, i) => {
      const host = isJsonObject(rule) ? rule.host : undefined;
      if (typeof host !== 'string' || hosts.some((h) => covers(h, host))) return;
      ctx.report({ messageId: 'uncovered', data: { name, host }, at: joinPointer('/spec/rules', i, 'host'), anchor: 'value' });
    });
  },
});
