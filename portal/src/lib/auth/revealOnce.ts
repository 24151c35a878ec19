import { randomBytes } from 'node:crypto';

/** A new key's secret waiting to be shown once, to the developer who made it. */
export interface PendingSecret {
  owner: string;
  keyName: string;
  kind: 'created' | 'rotated';
  secret: string;
  expiresAt: number;
}

const SLOT = Symbol.for('gx.portal.pendingSecrets');
const TTL_MS = 5 * 60_000;

/**
 * Secrets between the POST that created them and the page that shows them, in this process's
 * memory (on globalThis: route handlers and pages are separate bundles). The page takes a secret
 * out as it renders it, so a reload, the back button or a shared link never shows it again, and
 * the secret never travels in a URL or a cookie. Several portal processes behind one name need
 * sticky sessions for this one redirect (docs/adr/0008-portal.md).
 */
function store(): Map<string, PendingSecret> {
  const slot = globalThis as { [SLOT]?: Map<string, PendingSecret> };
  return (slot[SLOT] ??= new Map());
}

export function holdSecret(entry: Omit<PendingSecret, 'expiresAt'>): string {
  const pending = store();
  const now = Date.now();
  for (const [id, value] of pending) if (value.expiresAt < now) pending.delete(id);
  const id = randomBytes(18).toString('base64url');
  pending.set(id, { ...entry, expiresAt: now + TTL_MS });
  return id;
}

/** The secret held under `id` for `owner`, removed as it is read; undefined after the first read. */
export function takeSecret(id: string | undefined, owner: string): PendingSecret | undefined {
  if (!id) return undefined;
  const pending = store();
  const entry = pending.get(id);
  if (!entry || entry.owner !== owner) return undefined;
  pending.delete(id);
  return entry.expiresAt >= Date.now() ? entry : undefined;
}
