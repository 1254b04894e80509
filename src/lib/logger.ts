import pino, { type Logger } from 'pino';

export type { Logger };

/** Paths that must never reach a log line: credentials, tokens, cookies. */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  '*.password',
  '*.newPassword',
  '*.currentPassword',
  '*.token',
  '*.refreshToken',
  '*.accessToken',
  '*.secret',
];

/**
 * A JSON logger on stdout. Lines are written asynchronously in batches (a request never waits
 * for a write system call) and flushed when the process exits; pass `destination` to log
 * elsewhere (tests).
 */
export function createLogger(
  level: string,
  base: Record<string, unknown> = {},
  destination?: pino.DestinationStream,
): Logger {
  const options: pino.LoggerOptions = {
    level,
    base: { service: 'karyaklik-api', ...base },
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  const stream = destination ?? (level === 'silent' ? undefined : batchedStdout());
  const logger = stream ? pino(options, stream) : pino(options);
  if (stream) streams.set(logger, stream);
  return logger;
}

/**
 * stdout, written asynchronously in batches of at least 4 KiB and at least every 250 ms; the
 * rest is flushed synchronously when the process exits (a SIGKILL loses at most that batch).
 */
function batchedStdout(): pino.DestinationStream {
  return pino.destination({ dest: 1, sync: false, minLength: 4096, periodicFlush: 250 });
}

const streams = new WeakMap<Logger, pino.DestinationStream>();

/**
 * A logger for lines whose every field is chosen by the caller and holds no secret (the access
 * log: id, method, redacted URL, status, time): same destination, level and base fields, without
 * the redaction pass, which costs more than the rest of such a line. Anything else uses `logger`.
 */
export function fixedFieldsLogger(logger: Logger): Logger {
  const stream = streams.get(logger);
  if (!stream) return logger;
  return pino(
    { level: logger.level, base: logger.bindings(), timestamp: pino.stdTimeFunctions.isoTime },
    stream,
  );
}

/** Query parameters that carry one-time secrets (e-mail links, OAuth) are masked in logged URLs. */
export function redactUrl(url: string): string {
  // Most logged URLs have no query at all: no regular expression for them.
  if (!url.includes('=')) return url;
  return url.replace(/([?&](?:token|code|state|signature)=)[^&#]*/gi, '$1[redacted]');
}
