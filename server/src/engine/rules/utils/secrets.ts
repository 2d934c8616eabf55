/** Secrets: names that suggest one, values that are placeholders, and well-known credential formats. */

/** `dbPassword`, `DB_PASSWORD`, `db.password`, `db-password` -> ['DB', 'PASSWORD']. */
function tokens(name: string): string[] {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase().split(/[^A-Z0-9]+/).filter(Boolean);
}

const PASSWORD_TOKENS = new Set(['PASSWORD', 'PASSWORDS', 'PASSWD', 'PASSPHRASE', 'PASS', 'PWD']);
const SECRET_TOKENS = new Set(['SECRET', 'SECRETS']);
const TOKEN_TOKENS = new Set(['TOKEN', 'TOKENS', 'BEARER']);
const CREDENTIAL_TOKENS = new Set(['CREDENTIAL', 'CREDENTIALS', 'CREDS']);
/** `<qualifier>_KEY` names a key that is a secret; a bare `KEY` (CACHE_KEY, KEY_PREFIX) does not. */
const KEY_QUALIFIERS: Record<string, string> = {
  API: 'an API key', PRIVATE: 'a private key', ACCESS: 'an access key', AUTH: 'a key', ENCRYPTION: 'a key',
  SIGNING: 'a key', MASTER: 'a key', SESSION: 'a key', HMAC: 'a key', LICENSE: 'a license key', SSH: 'a private key',
};
const SINGLE_TOKEN_KEYS: Record<string, string> = { APIKEY: 'an API key', APIKEYS: 'an API key', PRIVATEKEY: 'a private key', ACCESSKEY: 'an access key' };
/** `KEY_<word>` where the word says the value is the key itself, whatever qualifies it: `OCI_CLI_KEY_CONTENT`, `SIGNING_KEY_PEM`. */
const KEY_MATERIAL = new Set(['CONTENT', 'CONTENTS', 'DATA', 'MATERIAL', 'PEM', 'BASE64', 'B64']);

/**
 * A last word that makes the name describe something about a secret rather than hold one:
 * `PASSWORD_FILE`, `TOKEN_URL`, `SECRET_NAME`, `PASSWORD_MIN_LENGTH`, `TOKEN_TTL`, `AWS_ACCESS_KEY_ID`.
 */
const DESCRIPTIVE_SUFFIXES = new Set([
  'FILE', 'FILES', 'PATH', 'PATHS', 'DIR', 'DIRECTORY', 'LOCATION', 'MOUNT', 'NAME', 'NAMES', 'REF', 'ID', 'IDS',
  'URL', 'URI', 'ENDPOINT', 'HOST', 'PORT', 'ENABLED', 'ENABLE', 'DISABLED', 'DISABLE', 'REQUIRED', 'LENGTH', 'LEN',
  'SIZE', 'TTL', 'EXPIRY', 'EXPIRES', 'EXPIRATION', 'LIFETIME', 'TIMEOUT', 'SECONDS', 'MINUTES', 'HOURS', 'DAYS',
  'INTERVAL', 'HEADER', 'FIELD', 'TYPE', 'FORMAT', 'MODE', 'POLICY', 'VERSION', 'ALGORITHM', 'ALG', 'ISSUER',
  'AUDIENCE', 'SCOPE', 'SCOPES', 'PROVIDER', 'STORE', 'COUNT', 'MAX', 'MIN', 'LIMIT', 'RETRIES', 'PREFIX', 'SUFFIX',
  'ROTATION', 'KEYS', 'PARAM', 'PARAMETER', 'SOURCE', 'BACKEND', 'SERVICE', 'STRATEGY', 'METHOD', 'CLASS',
]);

/**
 * What a variable or key name suggests it holds ("a password", "a token", ...), or undefined.
 * `PWD` alone is the shell's working directory, not a password.
 */
export function secretName(name: string): string | undefined {
  const words = tokens(name);
  if (words.length === 0 || (words.length === 1 && words[0] === 'PWD')) return undefined;
  const last = words[words.length - 1] as string;
  let what: string | undefined;
  words.forEach((word, i) => {
    if (what) return;
    const next = words[i + 1];
    if (PASSWORD_TOKENS.has(word)) what = 'a password';
    else if (SECRET_TOKENS.has(word)) what = 'a secret';
    else if (TOKEN_TOKENS.has(word)) what = 'a token';
    else if (CREDENTIAL_TOKENS.has(word)) what = 'credentials';
    else if (SINGLE_TOKEN_KEYS[word]) what = SINGLE_TOKEN_KEYS[word];
    else if (KEY_QUALIFIERS[word] && next === 'KEY') what = KEY_QUALIFIERS[word];
    else if (word === 'KEY' && next !== undefined && KEY_MATERIAL.has(next)) what = 'a key';
  });
  if (!what && words[0] === 'AZURE' && last === 'KEY' && words.length > 2) what = 'a key';
  if (!what) return undefined;
  return DESCRIPTIVE_SUFFIXES.has(last) ? undefined : what;
}

const PLACEHOLDER_WORDS = new Set([
  'changeme', 'changeit', 'replaceme', 'placeholder', 'todo', 'tbd', 'fixme', 'redacted', 'dummy', 'example',
  'sample', 'secret', 'password', 'token', 'none', 'null', 'nil', 'undefined', 'na', 'true', 'false', 'yes', 'no',
  'on', 'off', 'enabled', 'disabled', 'empty', 'notset', 'unset', 'yoursecret', 'yourpassword', 'yourtoken',
  'yourapikey', 'mysecret', 'mypassword', 'xxx', 'secretvalue', 'passwordhere', 'tokenhere', 'insertpasswordhere',
]);

/**
 * Values that hold no secret: empty, a boolean, an obvious placeholder (`changeme`, `<password>`, `xxxx`,
 * `REPLACE_ME`), a reference resolved elsewhere (`$(VAR)`, `${VAR}`, `{{ .Values.x }}`, `ENC(...)`, `vault:...`,
 * `ref+...://`, `arn:aws:...`, `op://...`) or a file path (where the secret is mounted).
 */
export function isPlaceholder(value: string): boolean {
  const v = value.trim();
  if (v === '') return true;
  if (/^(.)\1*$/s.test(v)) return true;
  if (/\$\([A-Za-z_][\w.-]*\)|\$\{[^}]+\}|\{\{.*\}\}|%[A-Za-z_]\w*%/.test(v)) return true;
  if (/^<[^<>]*>$/.test(v) || /^\[[^\]]*\]$/.test(v)) return true;
  if (/^(ENC|DEC)\(.*\)$/.test(v)) return true;
  if (/^(vault:|ref\+[a-z0-9]+:\/\/|arn:aws[a-z-]*:|op:\/\/|file:\/\/)/i.test(v)) return true;
  if (/^(\/|~\/|\.\.?\/)\S*$/.test(v)) return true;
  return PLACEHOLDER_WORDS.has(v.toLowerCase().replace(/[^a-z]/g, ''));
}

interface CredentialFormat {
  kind: string;
  pattern: RegExp;
  /** Matches that are documentation examples, not credentials. */
  exempt?: (match: string) => boolean;
}

const CREDENTIAL_FORMATS: readonly CredentialFormat[] = [
  // Tools that write PEM armour by hand sometimes use fewer dashes (`---BEGIN OPENSSH PRIVATE KEY---`).
  { kind: 'a private key', pattern: /-{3,5}BEGIN [A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?-{3,5}/ },
  { kind: 'an AWS access key ID', pattern: /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/, exempt: (m) => m.endsWith('EXAMPLE') },
  { kind: 'a GitHub token', pattern: /\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,})/ },
  { kind: 'a GitLab token', pattern: /\bglpat-[A-Za-z0-9_-]{20,}/ },
  { kind: 'a Slack token', pattern: /\bxox[abposr]-[A-Za-z0-9-]{10,}/ },
  { kind: 'a Slack webhook URL', pattern: /https:\/\/hooks\.slack\.com\/services\/T[A-Z0-9]+\/B[A-Z0-9]+\/[A-Za-z0-9]+/ },
  { kind: 'a Stripe live key', pattern: /\b[sr]k_live_[A-Za-z0-9]{16,}/ },
  { kind: 'a Google API key', pattern: /\bAIza[0-9A-Za-z_-]{35}(?![0-9A-Za-z_-])/ },
  { kind: 'an npm token', pattern: /\bnpm_[A-Za-z0-9]{36}\b/ },
  { kind: 'a SendGrid API key', pattern: /\bSG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}\b/ },
  { kind: 'a JSON Web Token', pattern: /\beyJ[A-Za-z0-9_-]{8,2000}\.eyJ[A-Za-z0-9_-]{8,8000}\./ },
];

/**
 * `scheme://user:password@host`: the password part, unless it is a reference or a placeholder. Every pattern here is
 * bounded so that a large ConfigMap value costs linear time.
 */
const URL_PASSWORD = /\b[a-z][a-z0-9+.-]{0,30}:\/\/[^\s:/@]{0,256}:([^\s/@]{1,256})@[^\s/@]/gi;

/** The well-known credential format found in a value ("a GitHub token"), or undefined. Never the value itself. */
export function credentialFormat(value: string): string | undefined {
  for (const format of CREDENTIAL_FORMATS) {
    const match = format.pattern.exec(value);
    if (match && !format.exempt?.(match[0])) return format.kind;
  }
  for (const match of value.matchAll(URL_PASSWORD)) {
    if (!isPlaceholder(decodeURIComponentSafe(match[1] as string))) return 'a URL with an embedded password';
  }
  return undefined;
}

function decodeURIComponentSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** A line of a configuration file: `key = value`, `key: value`, `export KEY=value`, `"key": "value",`. */
const ENTRY_LINE = /^\s*(?:export\s+)?["']?([A-Za-z_][\w.-]*)["']?\s*[:=]\s*(.*)$/;

/**
 * Entries of a file-like value (properties, .env, YAML, JSON, INI) whose name suggests a secret and whose value
 * is written in place: `spring.datasource.password=s3cr3t`. Returns the entries' names, never their values.
 */
export function secretEntries(text: string): Array<{ entry: string; what: string }> {
  const out: Array<{ entry: string; what: string }> = [];
  for (const line of text.split(/\r?\n/)) {
    const match = ENTRY_LINE.exec(line);
    if (!match) continue;
    const entry = match[1] as string;
    const what = secretName(entry);
    if (!what) continue;
    let value = (match[2] as string).replace(/\s[#;].*$/, '').trim().replace(/,$/, '').trim();
    if (/^(["']).*\1$/.test(value)) value = value.slice(1, -1);
    if (value === '' || /^[{[|>&*]/.test(value) || isPlaceholder(value)) continue;
    if (!out.some((e) => e.entry === entry)) out.push({ entry, what });
  }
  return out;
}
