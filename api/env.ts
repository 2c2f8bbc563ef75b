// The server's settings, read from the environment once at start and checked, so a typo fails loudly
// instead of running with a surprise default.
import { z } from 'zod';
import { isPostgresUrl } from './store/open.js';

const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8787),
  HOST: z.string().min(1).default('127.0.0.1'),
  /** A SQLite file, or a postgres:// (postgresql://) URL: the store several instances share. */
  CSAT_DB: z.string().min(1).default('./data/csat.db'),
  CSAT_PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
  CSAT_SECRET: z
    .string()
    .regex(/^[A-Za-z0-9+/_=-]{43,}$/, 'must be at least 32 random bytes in base64 (e.g. `openssl rand -base64 32`)')
    .optional(),
  CSAT_DEMO: z.enum(['0', '1']).default('1'),
  /** '1' only behind a reverse proxy: the client address is then the last X-Forwarded-For hop. */
  CSAT_TRUST_PROXY: z.enum(['0', '1']).default('0'),
  /** Reactions per minute per client address (POST /v1/responses and the survey form); 0 = no limit. */
  /** The SMTP server survey emails go through unless a site has its own (csat site set --smtp-url). */
  CSAT_SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\/[^\s]+$/, 'must be an smtp:// or smtps:// URL, e.g. smtp://user:password@mail.example.com:587')
    .optional(),
  CSAT_RATE_LIMIT: z.coerce.number().int().min(0).max(1_000_000).default(30),
  /** Open live score streams per client address (badges on one office network share an address); 0 = no cap. */
  CSAT_STREAMS_PER_ADDRESS: z.coerce.number().int().min(0).max(1_000_000).default(64),
  /** '1' lets webhooks reach loopback, private, link-local and other internal addresses. */
  CSAT_WEBHOOK_ALLOW_PRIVATE: z.enum(['0', '1']).default('0'),
}).superRefine((env, ctx) => {
  // Without CSAT_SECRET the key lives in a file beside a SQLite database. A PostgreSQL database has no
  // such place, and every instance over it must sign and check survey links with the same key.
  if (isPostgresUrl(env.CSAT_DB) && !env.CSAT_SECRET) {
    ctx.addIssue({ code: 'custom', path: ['CSAT_SECRET'], message: 'is required when CSAT_DB is a PostgreSQL URL (every instance needs the same one)' });
  }
});

export type ServerEnv = z.infer<typeof envSchema>;

export function readEnv(env: Record<string, string | undefined>): ServerEnv {
  const result = envSchema.safeParse(env);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`invalid environment:\n${lines.join('\n')}`);
  }
  return result.data;
}
