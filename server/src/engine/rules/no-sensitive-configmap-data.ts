import { docsUrl } from '../registry/docs';
import { joinPointer } from '../util/pointer';
import { isJsonObject } from '../types';
import { defineRule } from '../rule';
import { quoted } from './utils/text';
import { credentialFormat, isPlaceholder, secretEntries, secretName } from './utils/secrets';

/** Keys that name a file: their content is judged, not their name (`secrets.yaml` may hold nothing secret). */
const FILE_KEY = /\.(ya?ml|json|conf|cfg|config|properties|ini|env|toml|xml|txt|sh|py|js|lua|tpl|tmpl|template|html|css|sql|pem|crt|cert|key|rules|cnf)$/i;

/**
 * Polaris `sensitiveConfigmapContent`: ConfigMap `data` and `binaryData` keys whose name suggests a secret (with a
 * value that is not a placeholder), whose value has a well-known credential format, or whose file-like value has
 * entries that hold a secret in place (`spring.datasource.password=...`). One finding per key, on the key, with the
 * most specific reason; messages never show the value.
 */
export default defineRule<{ reportPlaceholders: boolean }>({
  meta: {
    id: 'no-sensitive-configmap-data',
    category: 'security',
    defaultSeverity: 'warning',
    target: { kinds: ['ConfigMap'], scope: 'object' },
    docs: {
      summary: 'ConfigMaps hold no credentials: no key or value that looks like a password, token or key.',
      rationale: 'ConfigMaps are not secret: they are readable by every role that can read configuration (often far more people and controllers than can read Secrets), shown in dashboards, never encrypted at rest and usually committed in clear. Credentials belong in Secrets, whose access can be audited and restricted. A key is reported when its value has a well-known credential format (a private key, AWS access key ID, GitHub, GitLab, Slack, Stripe, Google, npm or SendGrid token, a JSON Web Token, a URL with a password), when its name says it holds a secret (password, token, api-key...) and its value is not a placeholder, or when it holds a configuration file with such entries written in place (`db.password=...`, `token: ...`). binaryData is decoded and checked for credential formats. Messages name the key, never the value. Moving data to a Secret needs a name and changes the consumers, so there is no automatic fix.',
      url: docsUrl('no-sensitive-configmap-data'),
    },
    messages: {
      pass: 'The ConfigMap holds no credential-looking keys or values.',
      credentialValue: 'ConfigMap key "{{key}}" contains {{kind}}; keep it in a Secret.',
      sensitiveKey: 'ConfigMap key "{{key}}" looks like {{what}} and its value is written in the ConfigMap; keep it in a Secret.',
      sensitiveEntries: 'ConfigMap key "{{key}}" holds a file with secret-looking entries written in place ({{entries}}); keep them in a Secret.',
    },
    aliases: { polaris: 'sensitiveConfigmapContent' },
    options: {
      type: 'object', additionalProperties: false,
      properties: { reportPlaceholders: { type: 'boolean', description: 'Report a key whose name says it holds a secret even when its value is a placeholder (`xxxx`, `changeme`): Polaris judges the name alone.' } },
    },
    defaultOptions: { reportPlaceholders: false },
    checklist: 'security',
  },
  check(ctx) {
    for (const field of ['data', 'binaryData'] as const) {
      const map = ctx.value[field];
      if (!isJsonObject(map)) continue;
      for (const [key, raw] of Object.entries(map)) {
        if (typeof raw !== 'string') continue;
        const text = field === 'binaryData' ? Buffer.from(raw, 'base64').toString('latin1') : raw;
        const at = joinPointer('', field, key);
        const kind = credentialFormat(text);
        if (kind) {
          ctx.report({ messageId: 'credentialValue', data: { key, kind }, at, anchor: 'key' });
          continue;
        }
        const what = FILE_KEY.test(key) ? undefined : secretName(key);
        if (what && (ctx.options.reportPlaceholders || (field === 'binaryData' ? text.length > 0 : !isPlaceholder(text)))) {
          ctx.report({ messageId: 'sensitiveKey', data: { key, what }, at, anchor: 'key' });
          continue;
        }
        if (field === 'binaryData') continue;
        const entries = secretEntries(text);
        if (entries.length > 0) {
          ctx.report({ messageId: 'sensitiveEntries', data: { key, entries: quoted(entries.map((e) => e.entry)) }, at, anchor: 'key' });
        }
      }
    }
  },
});
