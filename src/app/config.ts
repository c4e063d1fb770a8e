/** Settings come from the environment (see the README's configuration reference). */
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
}

function integer(name: string, raw: string | undefined, fallback: number, min: number, max: number): number {
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) throw new Error(`${name} must be a whole number between ${min} and ${max}, not "${raw}"`);
  return n;
}

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
  };
}
