/**
 * Keeps secrets out of results: Grafana service-account tokens, bearer
 * headers, and any secret value registered by the run (the token the
 * Docker backend read) are replaced before an artefact is written.
 */
const registered = new Set<string>();

export function registerSecret(value: string): void {
  if (value.length >= 8) registered.add(value);
}

export function redact(text: string): string {
  let out = text.replace(/\bglsa_[A-Za-z0-9_]{8,}/g, '«redacted token»').replace(/(authorization:\s*bearer\s+)\S+/gi, '$1«redacted»');
  for (const secret of registered) out = out.split(secret).join('«redacted secret»');
  return out;
}
