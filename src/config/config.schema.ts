import Joi from 'joi';

const DEV_JWT_SECRET = 'dev-only-insecure-jwt-secret-change-me';
const DEV_FILE_SECRET = 'dev-only-insecure-file-url-secret-change-me';
export const INSECURE_DEFAULTS = { DEV_JWT_SECRET, DEV_FILE_SECRET } as const;

const csv = Joi.string().allow('');
/** A daily allowance: a whole number, or `unlimited`. */
const dailyLimit = Joi.alternatives(Joi.number().integer().min(0), Joi.string().valid('unlimited'));

/** Every environment variable the service reads. Each one is documented in .env.example. */
export const envSchema = Joi.object({
  NODE_ENV: Joi.string().valid('development', 'test', 'production').default('development'),
  PORT: Joi.number().port().default(3000),
  HOST: Joi.string().default('0.0.0.0'),
  PUBLIC_BASE_URL: Joi.string().uri({ scheme: ['http', 'https'] }),
  CORS_ORIGINS: csv.default(
    'https://karyaklik.netlify.app,http://localhost:5173,http://localhost:3000,http://localhost:8080',
  ),
  FRONTEND_URL: Joi.string()
    .uri({ scheme: ['http', 'https'] })
    .default('http://localhost:8080'),
  TRUST_PROXY: Joi.alternatives(Joi.boolean(), Joi.number().integer().min(0), Joi.string()).default(
    false,
  ),
  LOG_LEVEL: Joi.string()
    .valid('fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent')
    .default('info'),

  MONGODB_URI: Joi.string()
    .pattern(/^mongodb(\+srv)?:\/\//)
    .required(),
  MONGODB_REQUEST_TIMEOUT_MS: Joi.number().integer().min(100).max(30_000).default(1000),
  REDIS_URL: Joi.string()
    .pattern(/^rediss?:\/\//)
    .required(),
  QUEUE_PREFIX: Joi.string()
    .pattern(/^[\w:-]+$/)
    .default('karyaklik'),

  JWT_SECRET: Joi.string().min(16).default(DEV_JWT_SECRET),
  JWT_EXPIRE: Joi.string()
    .pattern(/^\d+[smhd]?$/)
    .default('7d'),
  REFRESH_TOKEN_TTL_DAYS: Joi.number().integer().min(1).max(365).default(30),
  FILE_URL_SECRET: Joi.string().min(16).default(DEV_FILE_SECRET),
  FILE_URL_TTL_SECONDS: Joi.number().integer().min(60).default(86_400),

  ADMIN_EMAIL: Joi.string()
    .email({ tlds: { allow: false } })
    .lowercase()
    .allow(''),
  ADMIN_PASSWORD: Joi.string().min(8).allow(''),
  ADMIN_NAME: Joi.string().max(50).default('KaryaKlik Admin'),

  GOOGLE_CLIENT_ID: Joi.string().allow('').default(''),
  GOOGLE_CLIENT_SECRET: Joi.string().allow('').default(''),
  GOOGLE_CALLBACK_URL: Joi.string().uri({ scheme: ['http', 'https'] }),
  GOOGLE_JWKS_URI: Joi.string()
    .uri({ scheme: ['http', 'https'] })
    .default('https://www.googleapis.com/oauth2/v3/certs'),
  GOOGLE_ISSUERS: csv.default('https://accounts.google.com,accounts.google.com'),
  GOOGLE_AUTHORIZATION_URL: Joi.string()
    .uri({ scheme: ['http', 'https'] })
    .default('https://accounts.google.com/o/oauth2/v2/auth'),
  GOOGLE_TOKEN_URL: Joi.string()
    .uri({ scheme: ['http', 'https'] })
    .default('https://www.googleapis.com/oauth2/v4/token'),
  GOOGLE_USERINFO_URL: Joi.string()
    .uri({ scheme: ['http', 'https'] })
    .default('https://www.googleapis.com/oauth2/v3/userinfo'),
  AUTH_RETURN_URLS: csv.default(''),

  SMTP_HOST: Joi.string().allow('').default(''),
  SMTP_PORT: Joi.number().port().default(587),
  SMTP_SECURE: Joi.boolean().default(false),
  SMTP_USER: Joi.string().allow('').default(''),
  SMTP_PASSWORD: Joi.string().allow('').default(''),
  MAIL_FROM: Joi.string().default('KaryaKlik <no-reply@karyaklik.local>'),

  UPLOADS_DIR: Joi.string().default('uploads'),
  STORAGE_DRIVER: Joi.string().valid('local', 's3').default('local'),
  STORAGE_SWEEP_INTERVAL_MS: Joi.number()
    .integer()
    .min(1000)
    .default(5 * 60 * 1000),
  STORAGE_PUBLIC_URL: Joi.string()
    .uri({ scheme: ['http', 'https'] })
    .allow('')
    .default(''),
  S3_ENDPOINT: Joi.string()
    .uri({ scheme: ['http', 'https'] })
    .allow('')
    .default(''),
  S3_REGION: Joi.string().default('us-east-1'),
  S3_BUCKET: Joi.string()
    .pattern(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/)
    .when('STORAGE_DRIVER', {
      is: 's3',
      then: Joi.required(),
      otherwise: Joi.string().allow('').default(''),
    }),
  S3_ACCESS_KEY_ID: Joi.string().allow('').default(''),
  S3_SECRET_ACCESS_KEY: Joi.string().allow('').default(''),
  S3_FORCE_PATH_STYLE: Joi.boolean().default(false),
  JSON_BODY_LIMIT: Joi.string()
    .pattern(/^\d+(kb|mb)$/i)
    .default('25mb'),
  MAX_UPLOAD_BYTES: Joi.number()
    .integer()
    .min(1024)
    .default(20 * 1024 * 1024),
  MAX_IMAGE_PIXELS: Joi.number().integer().min(1).default(50_000_000),

  AI_CHAT_URL: Joi.string()
    .uri({ scheme: ['http', 'https'] })
    .allow('')
    .default(''),
  AI_CHAT_API_KEY: Joi.string().allow('').default(''),
  AI_CHAT_MODEL: Joi.string().max(200).default('llama-3.3-70b-versatile'),
  AI_CHAT_TIMEOUT_MS: Joi.number().integer().min(100).max(120_000).default(8000),

  ALLOW_DIRECT_UPGRADE: Joi.boolean().default(false),
  RATE_LIMIT_ENABLED: Joi.boolean().default(true),
  LOGIN_ATTEMPTS_PER_IP: Joi.number().integer().min(1).default(1500),
  LOGIN_FAILURES_PER_ACCOUNT: Joi.number().integer().min(1).default(10),
  SIGNUPS_PER_IP_PER_HOUR: Joi.number().integer().min(1).default(600),
  PREMIUM_SWEEP_INTERVAL_MS: Joi.number()
    .integer()
    .min(1000)
    .default(15 * 60 * 1000),
  PRO_PACKAGE_PRICE: Joi.number().integer().min(1).default(150_000),
  PRO_PACKAGE_DURATION_MONTHS: Joi.number().integer().min(1).max(12).default(1),
  PAYMENT_BANK_ACCOUNTS: Joi.string()
    .pattern(/^[^|;]+\|[^|;]+\|[^|;]+(;[^|;]+\|[^|;]+\|[^|;]+)*$/)
    .default('Bank BCA|1234567890|PT KaryaKlik Indonesia'),
  PAYMENT_DEADLINE_HOURS: Joi.number()
    .integer()
    .min(1)
    .max(24 * 30)
    .default(24),
  PAYMENT_PROOF_MAX_BYTES: Joi.number()
    .integer()
    .min(1024)
    .default(5 * 1024 * 1024),
  MIDTRANS_SERVER_KEY: Joi.string().allow('').default(''),
  MIDTRANS_API_URL: Joi.string()
    .uri({ scheme: ['http', 'https'] })
    .default('https://api.sandbox.midtrans.com'),
  MIDTRANS_PAYMENT_METHODS: Joi.string()
    .pattern(
      /^(qris|bca_va|bni_va|bri_va|cimb_va|permata_va)(,(qris|bca_va|bni_va|bri_va|cimb_va|permata_va))*$/,
    )
    .default('qris,bca_va,bni_va,bri_va,permata_va'),
  MIDTRANS_EXPIRY_MINUTES: Joi.number()
    .integer()
    .min(5)
    .max(7 * 24 * 60)
    .default(60),
  FREE_DAILY_AI_GENERATIONS: dailyLimit.default(0),
  FREE_DAILY_FRAME_UPLOADS: dailyLimit.default(0),
  PRO_DAILY_AI_GENERATIONS: dailyLimit.default('unlimited'),
  PRO_DAILY_FRAME_UPLOADS: dailyLimit.default('unlimited'),
  ANIMATION_MAX_SIDE: Joi.number().integer().min(64).max(2048).default(720),
  ANIMATION_MAX_BYTES: Joi.number()
    .integer()
    .min(64 * 1024)
    .default(3 * 1024 * 1024),
  FFMPEG_PATH: Joi.string().allow('').default(''),
  EXPORT_LINK_TTL_SECONDS: Joi.number()
    .integer()
    .min(60)
    .max(7 * 24 * 3600)
    .default(24 * 3600),
  WORKER_CONCURRENCY: Joi.number().integer().min(1).max(32).default(2),
  SHUTDOWN_TIMEOUT_MS: Joi.number().integer().min(100).default(15_000),
  SSE_HEARTBEAT_MS: Joi.number().integer().min(1000).max(3_600_000).default(15_000),
  METRICS_TOKEN: Joi.string().allow('').min(16).default(''),
  WORKER_METRICS_PORT: Joi.number().port().default(0),
  QUEUE_BOARD_SESSION_MINUTES: Joi.number()
    .integer()
    .min(1)
    .max(24 * 60)
    .default(30),
  ANALYTICS_TRACK_LIMIT_PER_MINUTE: Joi.number().integer().min(1).default(120),
  ANALYTICS_BATCH_SIZE: Joi.number().integer().min(1).max(5000).default(200),
  ANALYTICS_FLUSH_INTERVAL_MS: Joi.number().integer().min(10).max(60_000).default(1000),
  ANALYTICS_BUFFER_MAX: Joi.number().integer().min(1).default(10_000),
  FEEDBACK_LIMIT_PER_HOUR: Joi.number().integer().min(1).default(10),
  ADMIN_SUMMARY_WINDOW_MINUTES: Joi.number()
    .integer()
    .min(1)
    .max(24 * 60)
    .default(15),
  ANNOUNCEMENT_BATCH_SIZE: Joi.number().integer().min(1).max(10_000).default(500),
}).unknown(true);
