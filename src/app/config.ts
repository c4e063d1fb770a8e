/** Settings come from the environment (see the README's configuration reference). */
import { isIP } from 'node:net';
import { isNotificationKind, NOTIFICATION_KINDS, type NotificationKind } from '../domain/notifications/types.js';
import { parseSecretKey } from './secret-box.js';

export interface Config {
  host: string;
  port: number;
  databaseUrl: string | undefined;
  dataDir: string;
  playbooksDir: string | undefined;
  defaultPlaybook: string;
  publicUrl: string;
  sessionTtlHours: number;
  secureCookies: boolean;
  /** EMBARGO_SMTP_URL: smtp://user:pass@host:587 or smtps://…; unset = no SMTP (copy + mark as sent only). */
  smtpUrl?: string | undefined;
  /** EMBARGO_MAIL_FROM: the From address of outgoing mail. */
  mailFrom?: string | undefined;
  /** EMBARGO_REPORTS_PER_HOUR: reports the public form takes per hour from one client address. */
  reportsPerHour?: number;
  /** EMBARGO_GITHUB_API_URL: GitHub's REST API (GitHub Enterprise: https://HOST/api/v3); a connection may name its own. */
  githubApiUrl?: string;
  /** EMBARGO_SECRET_KEY: 32 bytes (base64 or hex) that encrypt stored GitHub tokens; unset: ${dataDir}/secret.key. */
  secretKey?: string | undefined;
  /**
   * EMBARGO_TRUST_PROXY: the reverse proxies whose X-Forwarded-For names the real client, as their
   * addresses (or CIDR ranges) or as the number of proxy hops in front of Embargo; unset: none, the
   * connecting address is the client.
   */
  trustProxy?: TrustProxy | undefined;
  /** EMBARGO_AUDIT_KEY: the Ed25519 seed (32 bytes, base64 or hex) that signs audit checkpoints; unset: ${dataDir}/audit.key. */
  auditKey?: string | undefined;
  /** EMBARGO_SIGN_IN_FAILURES: failed sign-ins an account takes in 15 minutes before it must wait. */
  signInFailuresPerAccount?: number;
  /**
   * EMBARGO_DATABASE_POOL_SIZE: PostgreSQL connections this instance keeps (default 10). Every
   * instance's pool together must stay under the server's max_connections (default 100).
   */
  databasePoolSize?: number;
  /**
   * EMBARGO_CASE_NUMBERS: how new case ids are numbered: `sequential` (EMB-2026-0017, the default)
   * or `random` (EMB-2026-48213907: the number tells a member nothing of how many cases exist).
   */
  caseNumbers?: CaseNumbers;
  /**
   * EMBARGO_NOTIFY_SECURITY_CONTACT: the notification kinds mailed to each project's security
   * contact ("all", or a comma list such as "new-report,reporter-reply"); unset: none.
   */
  notifySecurityContact?: readonly NotificationKind[];
}

export type CaseNumbers = 'sequential' | 'random';

function caseNumbers(raw: string | undefined): CaseNumbers {
  if (raw === undefined || raw === '' || raw === 'sequential') return 'sequential';
  if (raw === 'random') return 'random';
  throw new Error(`EMBARGO_CASE_NUMBERS must be "sequential" or "random", not "${raw}"`);
}

/** Trusted proxies: their addresses or ranges, or a hop count. */
export type TrustProxy = string[] | number;

const PROXY_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/** EMBARGO_TRUST_PROXY: "1" (hops), or "10.0.0.5, 10.1.0.0/16, loopback". Trusting every address is refused. */
export function parseTrustProxy(raw: string | undefined): TrustProxy | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  const value = raw.trim();
  if (/^[0-9]+$/.test(value)) return integer('EMBARGO_TRUST_PROXY', value, 0, 1, 10);
  if (value === 'true' || value === '*')
    throw new Error(
      'EMBARGO_TRUST_PROXY must name the proxies (addresses or ranges) or their number of hops; trusting every address would let any client choose its own',
    );
  const entries = value.split(',').map((e) => e.trim());
  for (const e of entries) {
    const [address, prefix, ...rest] = e.split('/');
    const family = isIP(address ?? '');
    const prefixOk = prefix === undefined || (/^[0-9]{1,3}$/.test(prefix) && Number(prefix) <= (family === 6 ? 128 : 32));
    if (!(PROXY_NAMES.has(e) || (family !== 0 && prefixOk && rest.length === 0))) {
      throw new Error(`EMBARGO_TRUST_PROXY: "${e}" is not an IP address, a CIDR range (10.0.0.0/8) or loopback, linklocal, uniquelocal`);
    }
  }
  return entries;
}

function integer(name: string, raw: string | undefined, fallback: number, min: number, max: number): number {
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) throw new Error(`${name} must be a whole number between ${min} and ${max}, not "${raw}"`);
  return n;
}

export const DEFAULT_GITHUB_API_URL = 'https://api.github.com';

/** An http(s) URL without credentials, trailing slashes dropped; unset means github.com. */
export function githubApiUrl(raw: string | undefined, name = 'EMBARGO_GITHUB_API_URL'): string {
  if (raw === undefined || raw.trim() === '') return DEFAULT_GITHUB_API_URL;
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new Error(`${name} "${raw}" is not a URL; write it like https://api.github.com`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error(`${name} "${raw}" must be an http:// or https:// URL`);
  if (url.username || url.password) throw new Error(`${name} must not carry a user name or password`);
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

/**
 * PostgreSQL connections per instance. An audited read holds one for a few short queries and never
 * waits on the writer lock, and writes queue on that lock anyway: ten keep two cores busy, and
 * leave room under PostgreSQL's default max_connections (100) for several instances.
 */
export const DEFAULT_POOL_SIZE = 10;

export function configFromEnv(env: NodeJS.ProcessEnv = process.env): Config {
  const host = env.HOST || '127.0.0.1';
  const port = integer('PORT', env.PORT, 8080, 0, 65535);
  const publicUrl = (env.EMBARGO_PUBLIC_URL || `http://localhost:${port}`).replace(/\/+$/, '');
  return {
    host,
    port,
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir: env.EMBARGO_DATA_DIR || './data',
    playbooksDir: env.EMBARGO_PLAYBOOKS_DIR || undefined,
    defaultPlaybook: env.EMBARGO_DEFAULT_PLAYBOOK || 'contour',
    publicUrl,
    sessionTtlHours: integer('EMBARGO_SESSION_TTL_HOURS', env.EMBARGO_SESSION_TTL_HOURS, 12, 1, 24 * 30),
    secureCookies: env.EMBARGO_SECURE_COOKIES ? env.EMBARGO_SECURE_COOKIES === 'true' : publicUrl.startsWith('https://'),
    smtpUrl: env.EMBARGO_SMTP_URL || undefined,
    mailFrom: env.EMBARGO_MAIL_FROM || undefined,
    reportsPerHour: integer('EMBARGO_REPORTS_PER_HOUR', env.EMBARGO_REPORTS_PER_HOUR, 10, 1, 10_000),
    githubApiUrl: githubApiUrl(env.EMBARGO_GITHUB_API_URL),
    // Checked now, so a malformed key stops the start instead of the first GitHub action.
    secretKey: checkedSecretKey(env.EMBARGO_SECRET_KEY),
    trustProxy: parseTrustProxy(env.EMBARGO_TRUST_PROXY),
    auditKey: checkedSecretKey(env.EMBARGO_AUDIT_KEY, 'EMBARGO_AUDIT_KEY'),
    signInFailuresPerAccount: integer('EMBARGO_SIGN_IN_FAILURES', env.EMBARGO_SIGN_IN_FAILURES, 10, 1, 1000),
    databasePoolSize: integer('EMBARGO_DATABASE_POOL_SIZE', env.EMBARGO_DATABASE_POOL_SIZE, DEFAULT_POOL_SIZE, 1, 500),
    caseNumbers: caseNumbers(env.EMBARGO_CASE_NUMBERS),
    notifySecurityContact: notificationKinds(env.EMBARGO_NOTIFY_SECURITY_CONTACT),
  };
}

/** EMBARGO_NOTIFY_SECURITY_CONTACT: "all" or a comma list of notification kinds. */
export function notificationKinds(raw: string | undefined): NotificationKind[] {
  const value = raw?.trim();
  if (!value) return [];
  if (value === 'all') return [...NOTIFICATION_KINDS];
  const kinds = value.split(',').map((k) => k.trim());
  for (const k of kinds) {
    if (!isNotificationKind(k))
      throw new Error(`EMBARGO_NOTIFY_SECURITY_CONTACT: "${k}" is not one of all, ${NOTIFICATION_KINDS.join(', ')}`);
  }
  return kinds as NotificationKind[];
}

/** The key as given, once it parses: a malformed key stops the start instead of the first GitHub action. */
function checkedSecretKey(value: string | undefined, name = 'EMBARGO_SECRET_KEY'): string | undefined {
  if (!value) return undefined;
  parseSecretKey(value, name);
  return value;
}
