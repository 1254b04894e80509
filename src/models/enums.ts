export const USER_ROLES = ['user', 'admin'] as const;
export type UserRole = (typeof USER_ROLES)[number];

export const LOGIN_METHODS = ['password', 'google'] as const;
export type LoginMethod = (typeof LOGIN_METHODS)[number];

/** loginHistory keeps only the most recent entries; writers push with `$slice: -LOGIN_HISTORY_LIMIT`. */
export const LOGIN_HISTORY_LIMIT = 20;

export const THEMES = ['light', 'dark'] as const;
export const LANGUAGES = ['id', 'en'] as const;

/** Every category the client offers, including 'Graduation' (CONTRACT §6 #20, §19.10). */
export const TEMPLATE_CATEGORIES = [
  'Birthday',
  'Wedding',
  'Education',
  'Graduation',
  'Artistic',
  'Corporate',
  'Baby',
  'Holiday',
  'Love',
  'General',
  'AI Generated',
] as const;
export type TemplateCategory = (typeof TEMPLATE_CATEGORIES)[number];

export const TEMPLATE_VISIBILITIES = ['public', 'private'] as const;
export type TemplateVisibility = (typeof TEMPLATE_VISIBILITIES)[number];

/** Slot counts per CONTRACT §19.10 (inclusive ranges). */
export const FRAME_COUNT_RANGES = {
  template: { min: 1, max: 9 },
  userSubmittedFrame: { min: 1, max: 9 },
  userGeneratedFrame: { min: 2, max: 6 },
} as const;

export const FRAME_LAYOUTS = ['vertical', 'horizontal', 'grid'] as const;
export type FrameLayout = (typeof FRAME_LAYOUTS)[number];

export const SESSION_STATUSES = ['active', 'completed', 'cancelled'] as const;
export type SessionStatus = (typeof SESSION_STATUSES)[number];

/** Server-side render of a session's composite (CONTRACT §21). */
export const RENDER_STATUSES = ['queued', 'active', 'completed', 'failed'] as const;
export type RenderStatus = (typeof RENDER_STATUSES)[number];

/** `gif`: the captures in order; `boomerang`: forward, then back. */
export const ANIMATION_KINDS = ['gif', 'boomerang'] as const;
export type AnimationKind = (typeof ANIMATION_KINDS)[number];
/** Animated WebP by default; GIF for old messengers; MP4 only where an encoder is installed. */
export const ANIMATION_FORMATS = ['webp', 'gif', 'mp4'] as const;
export type AnimationFormat = (typeof ANIMATION_FORMATS)[number];

export const CAPTURE_SOURCES = ['camera', 'upload'] as const;
export type CaptureSource = (typeof CAPTURE_SOURCES)[number];

/** client: the browser's upload; server: our render job; legacy: migrated from Photo. */
export const COMPOSITE_SOURCES = ['client', 'server', 'legacy'] as const;
export type CompositeSource = (typeof COMPOSITE_SOURCES)[number];

export const PAYMENT_PACKAGE_NAMES = ['KaryaKlik Pro'] as const;
export const PAYMENT_PACKAGE_TYPES = ['pro'] as const;
export const PAYMENT_STATUSES = [
  'pending_payment',
  'pending_verification',
  'approved',
  'rejected',
  /** Left in pending_payment past its deadline (or the gateway's expiry). */
  'expired',
] as const;
/** The statuses of a payment that is still open: a user has at most one. */
export const OPEN_PAYMENT_STATUSES = ['pending_payment', 'pending_verification'] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

/** The destination account shown to the payer; the client reads these as schema defaults (CONTRACT §9). */
export const PAYMENT_BANK_DEFAULTS = {
  bankName: 'Bank BCA',
  bankAccountNumber: '1234567890',
  bankAccountName: 'PT KaryaKlik Indonesia',
} as const;

/** bank_transfer: proof checked by an admin (the default); midtrans: QRIS / VA through the gateway. */
export const PAYMENT_METHODS = ['bank_transfer', 'midtrans'] as const;
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];

export const PAYMENT_DURATION_MONTHS = { min: 1, max: 12 } as const;

export const PACKAGE_TYPES = ['free', 'pro'] as const;
export type PackageType = (typeof PACKAGE_TYPES)[number];

/**
 * A daily limit is a non-negative number, or UNLIMITED (stored as `null`). `null` rather than a
 * sentinel like 999999 so that "unlimited" can never be reached by counting and is visible in data.
 */
export const UNLIMITED = null;
export type DailyLimit = number | typeof UNLIMITED;

export function isUnlimited(limit: DailyLimit | undefined): limit is typeof UNLIMITED {
  return limit === UNLIMITED;
}

/** True when one more use fits under the limit. A missing limit counts as 0 (fail closed). */
export function hasRemaining(count: number, limit: DailyLimit | undefined): boolean {
  if (isUnlimited(limit)) return true;
  return count < (limit ?? 0);
}

export const DAILY_LIMITS: Readonly<
  Record<PackageType, { aiGenerationLimit: DailyLimit; frameUploadLimit: DailyLimit }>
> = {
  free: { aiGenerationLimit: 0, frameUploadLimit: 0 },
  pro: { aiGenerationLimit: UNLIMITED, frameUploadLimit: UNLIMITED },
};

/** UsageLimit.date: the Asia/Jakarta calendar day. */
export const USAGE_DATE_PATTERN = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

export const SUBMISSION_STATUSES = ['pending', 'approved', 'rejected'] as const;
export type SubmissionStatus = (typeof SUBMISSION_STATUSES)[number];

export const NOTIFICATION_TYPES = ['template', 'user', 'system', 'analytics'] as const;
export type NotificationType = (typeof NOTIFICATION_TYPES)[number];

export const FEEDBACK_STATUSES = ['unread', 'read', 'replied'] as const;
export type FeedbackStatus = (typeof FEEDBACK_STATUSES)[number];

/**
 * Known event types: the web client's (CONTRACT #61) and the server's (SPEC §11). The schema
 * accepts custom types too, so this list is for producers and dashboards, not validation.
 */
export const ANALYTICS_EVENT_TYPES = [
  'page_view',
  'user_login',
  'user_register',
  'user_logout',
  'template_view',
  'template_select',
  'photo_capture',
  'composite_generate',
  'composite_download',
  'photo_delete',
  'error',
  'composite_created',
  'frame_generated',
  'payment_created',
  'payment_approved',
] as const;
export type AnalyticsEventType = (typeof ANALYTICS_EVENT_TYPES)[number];

export const ANALYTICS_EVENT_CATEGORIES = [
  'page',
  'authentication',
  'template',
  'photo',
  'gallery',
  'admin',
  'error',
  'payment',
  'ai',
] as const;
export type AnalyticsEventCategory = (typeof ANALYTICS_EVENT_CATEGORIES)[number];

export const ANALYTICS_FIELD_MAX_LENGTH = 50;

/** 90 days. */
export const ANALYTICS_TTL_SECONDS = 90 * 24 * 60 * 60;

/**
 * Any address of the form local@domain.tld, with no limit on the TLD's length (the client's
 * three-letter check is its own, CONTRACT §7.1). Matched after lower-casing and trimming.
 */
export const EMAIL_PATTERN =
  /^[a-z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/;
export const EMAIL_MAX_LENGTH = 254;
