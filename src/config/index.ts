import path from 'node:path';
import { envSchema, INSECURE_DEFAULTS } from './config.schema';

/** A daily allowance; `null` is unlimited (never a large sentinel number). */
export interface DailyAllowance {
  aiGenerationLimit: number | null;
  frameUploadLimit: number | null;
}

export interface BankAccount {
  bankName: string;
  bankAccountNumber: string;
  bankAccountName: string;
}

export const GATEWAY_METHODS = [
  'qris',
  'bca_va',
  'bni_va',
  'bri_va',
  'cimb_va',
  'permata_va',
] as const;
export type GatewayMethod = (typeof GATEWAY_METHODS)[number];

export interface Config {
  env: 'development' | 'test' | 'production';
  isProduction: boolean;
  port: number;
  host: string;
  publicBaseUrl: string;
  corsOrigins: readonly string[];
  frontendUrl: string;
  trustProxy: boolean | number | string;
  logLevel: string;
  mongodbUri: string;
  /** How long an API request waits for an unreachable MongoDB before it is answered 503. */
  mongodbRequestTimeoutMs: number;
  redisUrl: string;
  queuePrefix: string;
  jwt: { secret: string; expiresIn: string; refreshTtlDays: number };
  files: {
    urlSecret: string;
    urlTtlSeconds: number;
    uploadsDir: string;
    maxUploadBytes: number;
    maxImagePixels: number;
  };
  /** Where files live: `local` (UPLOADS_DIR) or an S3-compatible bucket. */
  storage: {
    driver: 'local' | 's3';
    /** How often failed file removals are retried (sweep-file-deletions). */
    sweepIntervalMs: number;
    /** A base (CDN or public bucket) that serves always-public files directly; '' = the API. */
    publicUrl: string;
    s3: {
      /** Empty for AWS itself; the URL of any other S3-compatible server. */
      endpoint: string;
      region: string;
      bucket: string;
      accessKeyId: string;
      secretAccessKey: string;
      /** `http://host/bucket/key` instead of `http://bucket.host/key` (MinIO, Swift, Ceph). */
      forcePathStyle: boolean;
    };
  };
  jsonBodyLimit: string;
  admin: { email: string; password: string; name: string };
  google: {
    clientId: string;
    clientSecret: string;
    callbackUrl: string;
    jwksUri: string;
    issuers: readonly string[];
    authorizationUrl: string;
    tokenUrl: string;
    userInfoUrl: string;
  };
  authReturnUrls: readonly string[];
  mail: {
    host: string;
    port: number;
    secure: boolean;
    user: string;
    password: string;
    from: string;
  };
  /** Optional OpenAI-compatible chat endpoint for /ai/chat; without a URL the offline parser answers. */
  aiChat: { url: string; apiKey: string; model: string; timeoutMs: number };
  allowDirectUpgrade: boolean;
  rateLimitEnabled: boolean;
  /** Venue-sized abuse limits: many guests share one address (see auth-limits.ts). */
  authLimits: {
    loginAttemptsPerIp: number;
    loginFailuresPerAccount: number;
    signupsPerIpPerHour: number;
  };
  premiumSweepIntervalMs: number;
  payments: {
    /** The one package on sale; the server decides the amount (whole rupiah). */
    proPackage: {
      packageName: 'KaryaKlik Pro';
      packageType: 'pro';
      price: number;
      durationMonths: number;
    };
    /** Where bank transfers go; the first is the one a new payment shows. */
    bankAccounts: readonly BankAccount[];
    /** A bank-transfer payment without a proof expires this long after it was created. */
    deadlineHours: number;
    proofMaxBytes: number;
    /** Midtrans Core API; off when serverKey is empty. */
    midtrans: {
      enabled: boolean;
      serverKey: string;
      apiUrl: string;
      methods: readonly GatewayMethod[];
      expiryMinutes: number;
    };
  };
  /** Daily usage allowances per package (Asia/Jakarta days). */
  usage: { free: DailyAllowance; pro: DailyAllowance };
  /** Animated GIF/WebP/MP4 of a session: longest side, largest file, the MP4 encoder. */
  animation: { maxSide: number; maxBytes: number; ffmpegPath: string };
  /** Gallery ZIP exports: how long the emailed/notified download link stays valid. */
  exports: { linkTtlSeconds: number };
  workerConcurrency: number;
  shutdownTimeoutMs: number;
  /** Keep-alive comment interval of the status streams (SSE); each also re-reads the status. */
  sseHeartbeatMs: number;
  /** Bearer token for /api/metrics and a worker's metrics port; metrics are off when empty. */
  metrics: { token: string; workerPort: number };
  /** Lifetime of an admin's queue dashboard session (bull-board). */
  queueBoardSessionMinutes: number;
  /** POST /analytics/track: per-address limit and the batched writer's sizes. */
  analytics: {
    trackLimitPerMinute: number;
    batchSize: number;
    flushIntervalMs: number;
    bufferMax: number;
  };
  feedbackLimitPerHour: number;
  /** Sign-ins and sign-ups reach admins as one summary notification per window. */
  adminSummaryWindowMs: number;
  /** Users per insert of an announcement's delivery job. */
  announcementBatchSize: number;
}

export class ConfigError extends Error {}

type Env = Record<string, string | undefined>;

const list = (value: string): string[] =>
  value
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);

/**
 * Validates the environment once and returns a frozen, typed config. Throws ConfigError listing
 * every problem; in production it also refuses the development secrets and missing settings.
 */
export function loadConfig(env: Env = process.env): Readonly<Config> {
  const { value, error } = envSchema.validate(env, { abortEarly: false, convert: true });
  if (error) {
    throw new ConfigError(
      `Invalid configuration: ${error.details.map((d) => d.message).join('; ')}`,
    );
  }
  const v = value as Record<string, unknown>;
  const str = (key: string): string => (v[key] === undefined ? '' : String(v[key]));
  const num = (key: string): number => Number(v[key]);
  const bool = (key: string): boolean => v[key] === true;
  const allowance = (key: string): number | null => (v[key] === 'unlimited' ? null : num(key));

  const nodeEnv = str('NODE_ENV') as Config['env'];
  const port = num('PORT');
  const publicBaseUrl = (str('PUBLIC_BASE_URL') || `http://localhost:${port}`).replace(/\/+$/, '');
  const frontendUrl = str('FRONTEND_URL').replace(/\/+$/, '');

  const config: Config = {
    env: nodeEnv,
    isProduction: nodeEnv === 'production',
    port,
    host: str('HOST'),
    publicBaseUrl,
    corsOrigins: Object.freeze([...new Set([...list(str('CORS_ORIGINS')), frontendUrl])]),
    frontendUrl,
    trustProxy: v.TRUST_PROXY as Config['trustProxy'],
    logLevel: str('LOG_LEVEL'),
    mongodbUri: str('MONGODB_URI'),
    mongodbRequestTimeoutMs: num('MONGODB_REQUEST_TIMEOUT_MS'),
    redisUrl: str('REDIS_URL'),
    queuePrefix: str('QUEUE_PREFIX'),
    jwt: {
      secret: str('JWT_SECRET'),
      expiresIn: str('JWT_EXPIRE'),
      refreshTtlDays: num('REFRESH_TOKEN_TTL_DAYS'),
    },
    files: {
      urlSecret: str('FILE_URL_SECRET'),
      urlTtlSeconds: num('FILE_URL_TTL_SECONDS'),
      uploadsDir: path.resolve(str('UPLOADS_DIR')),
      maxUploadBytes: num('MAX_UPLOAD_BYTES'),
      maxImagePixels: num('MAX_IMAGE_PIXELS'),
    },
    storage: {
      driver: str('STORAGE_DRIVER') as Config['storage']['driver'],
      sweepIntervalMs: num('STORAGE_SWEEP_INTERVAL_MS'),
      publicUrl: str('STORAGE_PUBLIC_URL').replace(/\/+$/, ''),
      s3: {
        endpoint: str('S3_ENDPOINT'),
        region: str('S3_REGION'),
        bucket: str('S3_BUCKET'),
        accessKeyId: str('S3_ACCESS_KEY_ID'),
        secretAccessKey: str('S3_SECRET_ACCESS_KEY'),
        forcePathStyle: bool('S3_FORCE_PATH_STYLE'),
      },
    },
    jsonBodyLimit: str('JSON_BODY_LIMIT'),
    admin: { email: str('ADMIN_EMAIL'), password: str('ADMIN_PASSWORD'), name: str('ADMIN_NAME') },
    google: {
      clientId: str('GOOGLE_CLIENT_ID'),
      clientSecret: str('GOOGLE_CLIENT_SECRET'),
      callbackUrl: str('GOOGLE_CALLBACK_URL') || `${publicBaseUrl}/api/auth/google/callback`,
      jwksUri: str('GOOGLE_JWKS_URI'),
      issuers: Object.freeze(list(str('GOOGLE_ISSUERS'))),
      authorizationUrl: str('GOOGLE_AUTHORIZATION_URL'),
      tokenUrl: str('GOOGLE_TOKEN_URL'),
      userInfoUrl: str('GOOGLE_USERINFO_URL'),
    },
    authReturnUrls: Object.freeze([...new Set([frontendUrl, ...list(str('AUTH_RETURN_URLS'))])]),
    mail: {
      host: str('SMTP_HOST'),
      port: num('SMTP_PORT'),
      secure: bool('SMTP_SECURE'),
      user: str('SMTP_USER'),
      password: str('SMTP_PASSWORD'),
      from: str('MAIL_FROM'),
    },
    aiChat: {
      url: str('AI_CHAT_URL'),
      apiKey: str('AI_CHAT_API_KEY'),
      model: str('AI_CHAT_MODEL'),
      timeoutMs: num('AI_CHAT_TIMEOUT_MS'),
    },
    allowDirectUpgrade: bool('ALLOW_DIRECT_UPGRADE'),
    rateLimitEnabled: bool('RATE_LIMIT_ENABLED'),
    authLimits: {
      loginAttemptsPerIp: num('LOGIN_ATTEMPTS_PER_IP'),
      loginFailuresPerAccount: num('LOGIN_FAILURES_PER_ACCOUNT'),
      signupsPerIpPerHour: num('SIGNUPS_PER_IP_PER_HOUR'),
    },
    premiumSweepIntervalMs: num('PREMIUM_SWEEP_INTERVAL_MS'),
    payments: {
      proPackage: {
        packageName: 'KaryaKlik Pro',
        packageType: 'pro',
        price: num('PRO_PACKAGE_PRICE'),
        durationMonths: num('PRO_PACKAGE_DURATION_MONTHS'),
      },
      bankAccounts: str('PAYMENT_BANK_ACCOUNTS')
        .split(';')
        .map((entry) => {
          const [bankName = '', bankAccountNumber = '', bankAccountName = ''] = entry
            .split('|')
            .map((part) => part.trim());
          return { bankName, bankAccountNumber, bankAccountName };
        }),
      deadlineHours: num('PAYMENT_DEADLINE_HOURS'),
      proofMaxBytes: num('PAYMENT_PROOF_MAX_BYTES'),
      midtrans: {
        enabled: str('MIDTRANS_SERVER_KEY') !== '',
        serverKey: str('MIDTRANS_SERVER_KEY'),
        apiUrl: str('MIDTRANS_API_URL').replace(/\/+$/, ''),
        methods: [...new Set(list(str('MIDTRANS_PAYMENT_METHODS')))] as GatewayMethod[],
        expiryMinutes: num('MIDTRANS_EXPIRY_MINUTES'),
      },
    },
    usage: {
      free: {
        aiGenerationLimit: allowance('FREE_DAILY_AI_GENERATIONS'),
        frameUploadLimit: allowance('FREE_DAILY_FRAME_UPLOADS'),
      },
      pro: {
        aiGenerationLimit: allowance('PRO_DAILY_AI_GENERATIONS'),
        frameUploadLimit: allowance('PRO_DAILY_FRAME_UPLOADS'),
      },
    },
    animation: {
      maxSide: num('ANIMATION_MAX_SIDE'),
      maxBytes: num('ANIMATION_MAX_BYTES'),
      ffmpegPath: str('FFMPEG_PATH'),
    },
    exports: { linkTtlSeconds: num('EXPORT_LINK_TTL_SECONDS') },
    workerConcurrency: num('WORKER_CONCURRENCY'),
    shutdownTimeoutMs: num('SHUTDOWN_TIMEOUT_MS'),
    sseHeartbeatMs: num('SSE_HEARTBEAT_MS'),
    metrics: { token: str('METRICS_TOKEN'), workerPort: num('WORKER_METRICS_PORT') },
    queueBoardSessionMinutes: num('QUEUE_BOARD_SESSION_MINUTES'),
    analytics: {
      trackLimitPerMinute: num('ANALYTICS_TRACK_LIMIT_PER_MINUTE'),
      batchSize: num('ANALYTICS_BATCH_SIZE'),
      flushIntervalMs: num('ANALYTICS_FLUSH_INTERVAL_MS'),
      bufferMax: num('ANALYTICS_BUFFER_MAX'),
    },
    feedbackLimitPerHour: num('FEEDBACK_LIMIT_PER_HOUR'),
    adminSummaryWindowMs: num('ADMIN_SUMMARY_WINDOW_MINUTES') * 60_000,
    announcementBatchSize: num('ANNOUNCEMENT_BATCH_SIZE'),
  };

  if (config.isProduction) assertProductionReady(config, env);
  return deepFreeze(config);
}

function assertProductionReady(config: Config, env: Env): void {
  const problems: string[] = [];
  if (
    !env.JWT_SECRET ||
    config.jwt.secret === INSECURE_DEFAULTS.DEV_JWT_SECRET ||
    config.jwt.secret.length < 32
  ) {
    problems.push('JWT_SECRET must be set to a random string of at least 32 characters');
  }
  if (
    !env.FILE_URL_SECRET ||
    config.files.urlSecret === INSECURE_DEFAULTS.DEV_FILE_SECRET ||
    config.files.urlSecret.length < 32
  ) {
    problems.push('FILE_URL_SECRET must be set to a random string of at least 32 characters');
  }
  if (!env.PUBLIC_BASE_URL)
    problems.push('PUBLIC_BASE_URL must be set (the absolute base of file URLs)');
  if (!env.FRONTEND_URL)
    problems.push('FRONTEND_URL must be set (share and e-mail links point there)');
  if (config.google.clientId && !config.google.clientSecret) {
    problems.push('GOOGLE_CLIENT_SECRET must be set when GOOGLE_CLIENT_ID is');
  }
  if (config.payments.midtrans.enabled && !env.MIDTRANS_API_URL) {
    problems.push(
      'MIDTRANS_API_URL must be set when MIDTRANS_SERVER_KEY is (https://api.midtrans.com in production)',
    );
  }
  if (problems.length > 0) {
    throw new ConfigError(`Refusing to start in production: ${problems.join('; ')}`);
  }
}

function deepFreeze<T extends object>(object: T): Readonly<T> {
  for (const value of Object.values(object)) {
    if (value && typeof value === 'object' && !Object.isFrozen(value)) deepFreeze(value as object);
  }
  return Object.freeze(object);
}
