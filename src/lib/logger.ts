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

export function createLogger(level: string, base: Record<string, unknown> = {}): Logger {
  return pino({
    level,
    base: { service: 'karyaklik-api', ...base },
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
  });
}

/** Query parameters that carry one-time secrets (e-mail links, OAuth) are masked in logged URLs. */
export function redactUrl(url: string): string {
  return url.replace(/([?&](?:token|code|state|signature)=)[^&#]*/gi, '$1[redacted]');
}
