import { docsUrl } from '../registry/docs';
import { joinPointer } from '../util/pointer';
import { isJsonObject } from '../types';
import { defineRule } from '../rule';
import { credentialFormat, isPlaceholder, secretName } from './utils/secrets';

interface Options {
  preferSecretFiles: boolean;
  reportPlaceholders: boolean;
}

/**
 * kube-linter `env-var-secret` and Polaris `sensitiveContainerEnvVar`: no secret written as a literal `env[].value`.
 * A value is reported when it has a well-known credential format whatever the variable's name, or when the name
 * suggests a secret and the value is not a placeholder or a reference. With `preferSecretFiles` (kube-linter
 * `read-secret-from-env-var`, CIS 5.4.1), Secrets read into the environment are reported too. Messages name the
 * variable and the reason, never the value.
 */
export default defineRule<Options>({
  meta: {
    id: 'no-secrets-in-env',
    category: 'security',
    defaultSeverity: 'warning',
    target: { kinds: 'workloads', scope: 'container' },
    docs: {
      summary: 'Containers do not carry secrets as literal environment variable values.',
      rationale: 'A secret written in a manifest is in the repository\'s history, in every rendered copy and CI log, and readable by anyone who can `get` the workload; it cannot be rotated without a redeploy. Reference a Secret (`valueFrom.secretKeyRef`) or, better, mount it as a file. A value is reported when it has a well-known credential format whatever the variable is called (a private key, AWS access key ID, GitHub, GitLab, Slack, Stripe, Google, npm or SendGrid token, a JSON Web Token, a URL with a password), or when the variable\'s name says it holds a secret (PASSWORD, SECRET, TOKEN, API_KEY, PRIVATE_KEY, ACCESS_KEY, CREDENTIALS...; not names that describe one, like PASSWORD_FILE or TOKEN_URL) and its value is written. Empty values, booleans, obvious placeholders (changeme, <password>, xxxx) and references resolved elsewhere ($(VAR), ${VAR}, vault:, file paths) leak nothing and are not reported. With the `preferSecretFiles` option, Secrets read into the environment (secretKeyRef, envFrom) are reported too: environment variables leak into child processes, crash dumps and debug output (CIS Benchmark 5.4.1). Messages never show the value. Moving a value to a Secret needs a name and a decision, so there is no automatic fix.',
      url: docsUrl('no-secrets-in-env'),
    },
    messages: {
      pass: 'Container "{{name}}" carries no literal secret in its environment.',
      credentialValue: 'Environment variable "{{variable}}" of container "{{name}}" contains {{kind}} written in the manifest; read it from a Secret.',
      secretLiteral: 'Environment variable "{{variable}}" of container "{{name}}" looks like {{what}} and its value is written in the manifest; read it from a Secret.',
      secretKeyRef: 'Environment variable "{{variable}}" of container "{{name}}" reads Secret "{{secret}}"; mount the Secret as a file instead.',
      secretEnvFrom: 'Container "{{name}}" loads every key of Secret "{{secret}}" into its environment; mount the Secret as files instead.',
    },
    aliases: { kubeLinter: ['env-var-secret', 'read-secret-from-env-var'], polaris: 'sensitiveContainerEnvVar' },
    options: {
      type: 'object',
      properties: {
        preferSecretFiles: { type: 'boolean', description: 'Also report Secrets read into the environment (env valueFrom.secretKeyRef, envFrom secretRef): kube-linter read-secret-from-env-var.' },
        reportPlaceholders: { type: 'boolean', description: 'Report a variable whose name says it holds a secret even when its value is a placeholder (`xxxx`, `changeme`): Polaris judges the name alone.' },
      },
      additionalProperties: false,
    },
    defaultOptions: { preferSecretFiles: false, reportPlaceholders: false },
    checklist: 'security',
  },
  check(ctx) {
    const name = String(ctx.value.name ?? '');
    const env = ctx.value.env;
    if (Array.isArray(env)) {
      env.forEach((entry, i) => {
        if (!isJsonObject(entry)) return;
        const variable = typeof entry.name === 'string' ? entry.name : '';
        const value = entry.value;
        if (typeof value === 'string') {
          // On the `value:` key: it works for block scalars (a PEM key) and does not underline the secret itself.
          const at = joinPointer('', 'env', i, 'value');
          const anchor = 'key' as const;
          const kind = credentialFormat(value);
          if (kind) {
            ctx.report({ messageId: 'credentialValue', data: { name, variable, kind }, at, anchor });
            return;
          }
          const what = secretName(variable);
          if (what && (ctx.options.reportPlaceholders || !isPlaceholder(value))) ctx.report({ messageId: 'secretLiteral', data: { name, variable, what }, at, anchor });
          return;
        }
        const ref = ctx.get(joinPointer('', 'env', i, 'valueFrom', 'secretKeyRef'));
        if (ctx.options.preferSecretFiles && isJsonObject(ref)) {
          ctx.report({ messageId: 'secretKeyRef', data: { name, variable, secret: String(ref.name ?? '') }, at: joinPointer('', 'env', i, 'valueFrom', 'secretKeyRef') });
        }
      });
    }
    const envFrom = ctx.value.envFrom;
    if (ctx.options.preferSecretFiles && Array.isArray(envFrom)) {
      envFrom.forEach((source, i) => {
        const ref = isJsonObject(source) ? source.secretRef : undefined;
        if (isJsonObject(ref)) ctx.report({ messageId: 'secretEnvFrom', data: { name, secret: String(ref.name ?? '') }, at: joinPointer('', 'envFrom', i, 'secretRef') });
      });
    }
  },
});
