/**
 * Keeps credentials out of everything kgov prints: messages, logs and findings. Secrets are collected from
 * the kubeconfig user (tokens, passwords, client keys and certificates, exec plugin environment, auth-provider
 * tokens) and replaced wherever they appear; bearer headers, PEM blocks and URL user-info are masked even when
 * kgov did not know the value (an exec plugin's stderr, a proxy's error page).
 */

const MASK = '<redacted>';

/** Values shorter than this are not treated as secrets: masking "a" would shred every message. */
const MIN_SECRET_LENGTH = 6;

export class Redactor {
  private readonly secrets = new Set<string>();

  /** Remembers a value (and its base64 form, which is how kubeconfig `*-data` fields carry it) as a secret. */
  add(value: unknown): void {
    if (typeof value !== 'string' || value.length < MIN_SECRET_LENGTH) return;
    this.secrets.add(value);
    const decoded = tryBase64(value);
    if (decoded && decoded.length >= MIN_SECRET_LENGTH) {
      this.secrets.add(decoded);
      // A PEM key's body lines also show up alone in some errors.
      for (const line of decoded.split(/\r?\n/)) if (line.length >= 32 && !line.startsWith('-----')) this.secrets.add(line);
    }
  }

  redact(text: string): string {
    let out = text;
    // Longest first, so that a secret containing another is masked whole.
    for (const secret of [...this.secrets].sort((a, b) => b.length - a.length)) out = out.split(secret).join(MASK);
    return redactPatterns(out);
  }
}

/** What is masked without knowing the secret. */
export function redactPatterns(text: string): string {
  return text
    .replace(/-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(-----END [A-Z ]*PRIVATE KEY-----|$)/g, MASK)
    .replace(/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi, `$1 ${MASK}`)
    .replace(/(\b[a-z][a-z0-9+.-]*:\/\/)[^/\s:@]+:[^/\s@]+@/gi, `$1${MASK}@`)
    .replace(/("(?:token|access[-_]?token|id[-_]?token|refresh[-_]?token|password|client[-_]?secret|clientKeyData|client-key-data)"\s*:\s*)"[^"]*"/gi, `$1"${MASK}"`);
}

function tryBase64(value: string): string | undefined {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(value) || value.length % 4 !== 0) return undefined;
  const decoded = Buffer.from(value, 'base64').toString('utf8');
  // Only text that round-trips is a real decoding (random tokens are often valid base64 too).
  return Buffer.from(decoded, 'utf8').toString('base64') === value ? decoded : undefined;
}
