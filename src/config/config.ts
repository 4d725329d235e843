import { z } from 'zod';
import { DEFAULT_TABULAR_LIMITS, TabularLimits } from '../common/tabular-limits';
import { DEFAULT_VALUE_LIMITS, ValueLimits } from '../common/value-limits';

/** Environment schema: validated once at boot (and by every CLI command) into a typed config. */
const envSchema = z.object({
  DATABASE_URL: z.string().min(1).default('postgresql://postgres@127.0.0.1:5432/housing'),
  REDIS_URL: z.string().min(1).default('redis://127.0.0.1:6379'),
  QUEUE_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_:-]+$/, 'letters, digits, _ : - only')
    .default('phr'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  /** Interface the API listens on: loopback unless a deployment opens it (behind its proxy). */
  HOST: z.string().min(1).default('127.0.0.1'),
  /** Owner role for migrations (creates the service's role and grants); defaults to DATABASE_URL. */
  MIGRATION_DATABASE_URL: z.string().min(1).optional(),
  /** The bureau's time zone: today's date, cron schedules. */
  TIME_ZONE: z
    .string()
    .min(1)
    .refine((zone) => {
      try {
        new Intl.DateTimeFormat('en', { timeZone: zone });
        return true;
      } catch {
        return false;
      }
    }, 'an IANA time zone, e.g. Asia/Shanghai')
    .default('Asia/Shanghai'),
  /** The daily deadline pass of the review workflow (cron, TIME_ZONE). */
  CASES_DEADLINES_CRON: z.string().min(9).default('0 1 * * *'),
  /** On SIGTERM: how long running jobs may take to finish before they are handed back to the queue. */
  SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).max(600_000).default(25_000),
  /** Heavy exports running at once per process; past it, 429 with Retry-After. */
  EXPORT_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(4),
  /** Failed authentications per client IP per minute (shared across replicas through Redis). */
  RATE_LIMIT_AUTH_FAILURES: z.coerce.number().int().min(1).default(30),
  /** Authenticated requests per token per minute (shared across replicas through Redis). */
  RATE_LIMIT_REQUESTS: z.coerce.number().int().min(1).default(1200),
  APP_ROLE: z.enum(['all', 'api', 'worker']).default('all'),
  /** A signed-in session ends after this long without a request, and after SESSION_MAX_HOURS in any case. */
  SESSION_IDLE_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(30),
  SESSION_MAX_HOURS: z.coerce.number().int().min(1).max(24 * 7).default(12),
  /** Session cookies marked Secure even on plain HTTP (a proxy terminates TLS without telling us). */
  COOKIE_SECURE: z.enum(['true', 'false']).default('false'),
  /** The origin browsers reach the service at (https://host[:port]), accepted as a request's Origin besides its own Host. */
  PUBLIC_ORIGIN: z.string().url().optional(),
  BOOTSTRAP_ADMIN_TOKEN: z.string().min(24, 'at least 24 characters').optional(),
  LOG_LEVEL: z.enum(['error', 'warn', 'log', 'debug', 'verbose']).default('log'),
  FEED_DROP_DIR: z.string().min(1).default('.data/feeds'),
  HTTP_TIMEOUT_MS: z.coerce.number().int().positive().default(30_000),
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(2),
  POLICY_REGION: z.string().regex(/^\d{6}$/).default('350581'),
  /** The bureau's name, printed as 填报单位 on the exported forms. */
  BUREAU_NAME: z.string().min(2).max(64).default('市住房和城乡建设局'),
  RECOMPUTE_SHARD_SIZE: z.coerce.number().int().min(1).max(100_000).default(2000),
  /** Generated notices and batch ZIPs (the document store); the bureau's contact printed on the notices. */
  DOCUMENT_DIR: z.string().min(1).default('.data/documents'),
  BUREAU_CONTACT: z.string().min(1).default('12345（政务服务便民热线）'),
  SYNC_BATCH_RECORDS: z.coerce.number().int().min(1).max(100_000).default(5000),
  // Reading department and ledger files (src/common/tabular-limits.ts): a bad file fails with its reason.
  TABULAR_MAX_CELL_CHARS: z.coerce.number().int().min(100).max(10_000_000).default(DEFAULT_TABULAR_LIMITS.maxCellChars),
  XLSX_MAX_UNCOMPRESSED_BYTES: z.coerce.number().int().min(1024 * 1024).default(DEFAULT_TABULAR_LIMITS.xlsxMaxUncompressedBytes),
  XLSX_MAX_ROWS: z.coerce.number().int().min(1).max(1_048_576).default(DEFAULT_TABULAR_LIMITS.xlsxMaxRows),
  FILE_READ_STALL_MS: z.coerce.number().int().min(100).default(DEFAULT_TABULAR_LIMITS.stallMs),
  // A sync run still 'running' after this long is stuck: its session is ended and the run closed.
  SYNC_RUN_MAX_MS: z.coerce.number().int().min(1000).default(6 * 3600_000),
  // Session settings of every pooled connection (libpq `options`). JIT costs more than it saves on
  // our index-driven reads; a random page costs about a sequential one on SSD or cached data (the
  // default 4 sends shard reads to sequential scans); sorts and staging tables of bulk merges fit in memory.
  DATABASE_SESSION_OPTIONS: z.string().default('-c jit=off -c random_page_cost=1.1 -c work_mem=64MB -c temp_buffers=64MB'),
  // Bounds of plausible values in feeds and ledger files (src/common/value-limits.ts). Text stays
  // under 800 characters: indexed columns (codes, normalised addresses) hold at most 2704 bytes.
  VALUE_MIN_DATE: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD').default(DEFAULT_VALUE_LIMITS.minDate),
  VALUE_MAX_YEARS_AHEAD: z.coerce.number().int().min(1).max(1000).default(DEFAULT_VALUE_LIMITS.maxYearsAhead),
  VALUE_CLOCK_SKEW_MINUTES: z.coerce.number().min(0).max(24 * 60).default(DEFAULT_VALUE_LIMITS.maxClockSkewMs / 60_000),
  VALUE_MAX_TEXT_LENGTH: z.coerce.number().int().min(20).max(800).default(DEFAULT_VALUE_LIMITS.maxTextLength),
});

export type Env = z.infer<typeof envSchema>;

export class AppConfig {
  readonly databaseUrl: string;
  readonly databaseSessionOptions: string;
  readonly redisUrl: string;
  readonly queuePrefix: string;
  readonly port: number;
  readonly host: string;
  readonly migrationDatabaseUrl: string;
  readonly exportConcurrency: number;
  readonly shutdownGraceMs: number;
  readonly timeZone: string;
  readonly casesDeadlinesCron: string;
  readonly rateLimitAuthFailures: number;
  readonly rateLimitRequests: number;
  readonly role: Env['APP_ROLE'];
  readonly sessionIdleMinutes: number;
  readonly sessionMaxHours: number;
  readonly cookieSecure: boolean;
  readonly publicOrigin: string | undefined;
  readonly bootstrapAdminToken?: string;
  readonly logLevel: Env['LOG_LEVEL'];
  readonly feedDropDir: string;
  readonly httpTimeoutMs: number;
  readonly workerConcurrency: number;
  readonly syncBatchRecords: number;
  readonly tabularLimits: Readonly<TabularLimits>;
  readonly syncRunMaxMs: number;
  readonly policyRegion: string;
  readonly bureauName: string;
  readonly recomputeShardSize: number;
  readonly documentDir: string;
  readonly bureauContact: string;
  readonly valueLimits: Readonly<ValueLimits>;
  /** Raw environment, for per-source settings (SOURCE_<NAME>_URL ...), read by the sources module. */
  readonly env: Readonly<Record<string, string | undefined>>;

  constructor(e: Env, raw: Record<string, string | undefined>) {
    this.databaseUrl = e.DATABASE_URL;
    this.databaseSessionOptions = e.DATABASE_SESSION_OPTIONS;
    this.redisUrl = e.REDIS_URL;
    this.queuePrefix = e.QUEUE_PREFIX;
    this.port = e.PORT;
    this.host = e.HOST;
    this.migrationDatabaseUrl = e.MIGRATION_DATABASE_URL ?? e.DATABASE_URL;
    this.exportConcurrency = e.EXPORT_CONCURRENCY;
    this.shutdownGraceMs = e.SHUTDOWN_GRACE_MS;
    this.timeZone = e.TIME_ZONE;
    this.casesDeadlinesCron = e.CASES_DEADLINES_CRON;
    this.rateLimitAuthFailures = e.RATE_LIMIT_AUTH_FAILURES;
    this.rateLimitRequests = e.RATE_LIMIT_REQUESTS;
    this.role = e.APP_ROLE;
    this.sessionIdleMinutes = e.SESSION_IDLE_MINUTES;
    this.sessionMaxHours = e.SESSION_MAX_HOURS;
    this.cookieSecure = e.COOKIE_SECURE === 'true';
    this.publicOrigin = e.PUBLIC_ORIGIN ? new URL(e.PUBLIC_ORIGIN).origin : undefined;
    this.bootstrapAdminToken = e.BOOTSTRAP_ADMIN_TOKEN;
    this.logLevel = e.LOG_LEVEL;
    this.feedDropDir = e.FEED_DROP_DIR;
    this.httpTimeoutMs = e.HTTP_TIMEOUT_MS;
    this.workerConcurrency = e.WORKER_CONCURRENCY;
    this.syncBatchRecords = e.SYNC_BATCH_RECORDS;
    this.tabularLimits = Object.freeze({
      maxCellChars: e.TABULAR_MAX_CELL_CHARS,
      xlsxMaxUncompressedBytes: e.XLSX_MAX_UNCOMPRESSED_BYTES,
      xlsxMaxRows: e.XLSX_MAX_ROWS,
      stallMs: e.FILE_READ_STALL_MS,
    });
    this.syncRunMaxMs = e.SYNC_RUN_MAX_MS;
    this.policyRegion = e.POLICY_REGION;
    this.bureauName = e.BUREAU_NAME;
    this.recomputeShardSize = e.RECOMPUTE_SHARD_SIZE;
    this.documentDir = e.DOCUMENT_DIR;
    this.bureauContact = e.BUREAU_CONTACT;
    this.valueLimits = Object.freeze({
      minDate: e.VALUE_MIN_DATE,
      maxYearsAhead: e.VALUE_MAX_YEARS_AHEAD,
      maxClockSkewMs: e.VALUE_CLOCK_SKEW_MINUTES * 60_000,
      maxTextLength: e.VALUE_MAX_TEXT_LENGTH,
    });
    this.env = Object.freeze({ ...raw });
  }

  get runsApi(): boolean {
    return this.role === 'all' || this.role === 'api';
  }
  get runsWorkers(): boolean {
    return this.role === 'all' || this.role === 'worker';
  }
}

export class ConfigError extends Error {}

/** Parses the environment; throws a ConfigError listing every bad variable. */
export function loadConfig(raw: Record<string, string | undefined> = process.env): AppConfig {
  const cleaned = Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== ''));
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`invalid environment:\n${lines.join('\n')}`);
  }
  return new AppConfig(parsed.data, raw);
}
