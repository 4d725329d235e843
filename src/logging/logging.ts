import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import pino, { DestinationStream, Level, LevelWithSilent, Logger } from 'pino';
import type { Options } from 'pino-http';
import { maskIdNo, maskName } from '../common/identity';
import { maskText } from '../common/masking';
import { routeTemplate } from '../common/route-template';
import type { AppConfig } from '../config/config';

/** Nest's log levels (LOG_LEVEL) as pino's. */
export const PINO_LEVEL: Record<AppConfig['logLevel'], Level> = { error: 'error', warn: 'warn', log: 'info', debug: 'debug', verbose: 'trace' };

/** Where log lines can go: anything with write(), like a stream. */
export interface LogDestination {
  write(line: string): unknown;
}

/**
 * The process's one log destination. Every serialized line is masked before it leaves: an ID-shaped
 * number anywhere in it (a message, a URL, an error's stack, a quoted cell) keeps only its first 6
 * and last 4 characters. Masking the finished line, rather than in pino's `formatters.log` (which runs
 * before the serializers, so it never sees `req.url` or an error's stack), leaves no field out.
 */
class MaskingSink implements DestinationStream {
  target: LogDestination | null = null;

  write(line: string): void {
    this.target?.write(maskText(line));
  }
}

const sink = new MaskingSink();
let stdout: LogDestination | undefined;

const REDACTED = '[Redacted]';
/** Keys that hold an ID number or a person's name, wherever an object logged carries them. */
const ID_KEYS = ['idNo', 'idNumber', '身份证号', '身份证号码', '证件号码'];
const NAME_KEYS = ['姓名', 'personName', 'tenantName', 'spouseName', 'ownerName', '权利人', '车主', '配偶姓名'];

/**
 * Redaction rules: credentials and the stated purpose of a reveal removed, ID numbers and names
 * masked (ID numbers first 6 + last 4, names first character) at the top level, one level down and
 * in member lists.
 */
const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'req.headers["x-xsrf-token"]',
  'res.headers["set-cookie"]',
  'req.query.purpose',
  ...[...ID_KEYS, ...NAME_KEYS].flatMap((k) => [`["${k}"]`, `*["${k}"]`, `*.members[*]["${k}"]`, `members[*]["${k}"]`]),
  'members[*].name',
  '*.members[*].name',
];

function censor(value: unknown, path: string[]): unknown {
  const key = path[path.length - 1];
  if (typeof value !== 'string' && typeof value !== 'number') return value == null ? value : REDACTED;
  if (ID_KEYS.includes(key)) return maskIdNo(String(value));
  if (NAME_KEYS.includes(key) || key === 'name') return maskName(String(value));
  return REDACTED;
}

/** The process's pino logger (JSON lines: ISO time, level name, message under `msg`). */
export const rootLogger: Logger = pino(
  {
    level: 'info',
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    redact: { paths: REDACT_PATHS, censor },
  },
  sink,
);

/**
 * Points the process's logs at a destination (stdout by default; a test's stream; null: nowhere)
 * at a level. One per process, as the HTTP logger (nestjs-pino) is: the last app created sets it.
 */
export function configureLogging(opts: { destination?: LogDestination | null; level: LevelWithSilent }, ...loggers: (Logger | undefined)[]): void {
  if (opts.destination === undefined) stdout ??= pino.destination({ dest: 1, sync: true });
  sink.target = opts.destination === undefined ? stdout! : opts.destination;
  for (const l of [rootLogger, ...loggers]) if (l) l.level = opts.level;
}

/** A request id we accept from a client (X-Request-Id): a short token of safe characters. */
const SAFE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;

type Req = IncomingMessage & { id?: unknown; actor?: { name?: string; tokenId?: number; userId?: number; role?: string } };

/** Express middleware, first of all: the request's id (the client's if safe, else a new one), echoed in the response. */
export function assignRequestId(req: Req, res: ServerResponse, next: () => void): void {
  const given = req.headers['x-request-id'];
  const id = typeof given === 'string' && SAFE_REQUEST_ID.test(given) ? given : randomUUID();
  req.id = id;
  res.setHeader('X-Request-Id', id);
  next();
}

/** A URL as logged: the value of `purpose` (why someone asked to see ID numbers) left out. */
export function redactUrl(url: string | undefined): string | undefined {
  return url?.replace(/([?&]purpose=)[^&#]*/gi, `$1${REDACTED}`);
}

/** pino-http's options: one line per request with its id, route, status, duration and actor. */
export const HTTP_LOGGING: Options<Req, ServerResponse> = {
  logger: rootLogger,
  genReqId: (req, res) => {
    if (typeof req.id === 'string') return req.id;
    const id = randomUUID();
    res.setHeader('X-Request-Id', id);
    return id;
  },
  serializers: {
    req: (r: { id: unknown; method: string; url: string; query: unknown; headers: Record<string, unknown>; remoteAddress: string }) => ({
      id: r.id,
      method: r.method,
      url: redactUrl(r.url),
      query: r.query,
      headers: r.headers,
      remoteAddress: r.remoteAddress,
    }),
    // The status only: the response's headers are ours (security headers, rate-limit counters).
    res: (r: { statusCode: number }) => ({ statusCode: r.statusCode }),
  },
  // Bound to the request's last line only, when it ends: by then it is routed and authenticated.
  customProps: (req, res) => {
    if (!res.writableEnded && !res.destroyed) return {};
    const props: Record<string, unknown> = { route: routeTemplate(req) };
    if (req.actor) props.actor = { name: req.actor.name, tokenId: req.actor.tokenId, userId: req.actor.userId, role: req.actor.role };
    return props;
  },
  customLogLevel: (req, res, err) => {
    if (err || res.statusCode >= 500) return 'error';
    if (res.statusCode >= 400) return 'warn';
    // Probes every few seconds: only a failing /health is worth a line.
    return req.url === '/health' ? 'silent' : 'info';
  },
  customSuccessMessage: (req, res, ms) => `${req.method} ${routeTemplate(req)} ${res.statusCode} ${ms}ms`,
  customErrorMessage: (req, res) => `${req.method} ${routeTemplate(req)} ${res.statusCode} failed`,
};
