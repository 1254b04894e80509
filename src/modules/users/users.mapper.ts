import type { Types } from 'mongoose';
import { isPremiumActive } from '../../lib/auth-user';

/** The stored fields the mappers read; lean documents and hydrated ones both fit. */
export interface UserRecord {
  _id: Types.ObjectId | string;
  name: string;
  email: string;
  role?: string | null;
  phone?: string | null;
  profilePicture?: string | null;
  googleId?: string | null;
  isEmailVerified?: boolean | null;
  isActive?: boolean | null;
  isPremium?: boolean | null;
  premiumExpiresAt?: Date | null;
  lastLogin?: Date | null;
  settings?: UserSettingsRecord | null;
  createdAt?: Date | null;
  updatedAt?: Date | null;
}

export interface UserSettingsRecord {
  notifications?: {
    emailNotifications?: boolean | null;
    templateAlerts?: boolean | null;
    weeklyReports?: boolean | null;
  } | null;
  theme?: { theme?: string | null; language?: string | null } | null;
}

export interface UserDto {
  id: string;
  _id: string;
  name: string;
  email: string;
  role: 'user' | 'admin';
  phone: string;
  profilePicture: string | null;
  isEmailVerified: boolean;
  isActive: boolean;
  isPremium: boolean;
  premiumExpiresAt: Date | null;
  googleLinked: boolean;
  lastLogin: Date | null;
  createdAt: Date | null;
  updatedAt: Date | null;
}

/**
 * The one user shape every route answers: the client reads `id` in its context and `_id` in the
 * admin list, so both are sent. `isPremium` is the effective state (an expired Pro reads as
 * free, CONTRACT §19.14). Secrets never appear: the mapper copies fields, it does not delete them.
 */
export function toUserDto(user: UserRecord, now = new Date()): UserDto {
  const id = String(user._id);
  return {
    id,
    _id: id,
    name: user.name,
    email: user.email,
    role: user.role === 'admin' ? 'admin' : 'user',
    phone: user.phone ?? '',
    profilePicture: user.profilePicture ? user.profilePicture : null,
    isEmailVerified: Boolean(user.isEmailVerified),
    isActive: user.isActive !== false,
    isPremium: isPremiumActive(user.isPremium, user.premiumExpiresAt, now),
    premiumExpiresAt: user.premiumExpiresAt ?? null,
    googleLinked: Boolean(user.googleId),
    lastLogin: user.lastLogin ?? null,
    createdAt: user.createdAt ?? null,
    updatedAt: user.updatedAt ?? null,
  };
}

export interface UserSettingsDto {
  notifications: { emailNotifications: boolean; templateAlerts: boolean; weeklyReports: boolean };
  theme: { theme: string; language: string };
}

export function toSettingsDto(settings: UserSettingsRecord | null | undefined): UserSettingsDto {
  const n = settings?.notifications;
  const t = settings?.theme;
  return {
    notifications: {
      emailNotifications: n?.emailNotifications ?? true,
      templateAlerts: n?.templateAlerts ?? true,
      weeklyReports: n?.weeklyReports ?? false,
    },
    theme: { theme: t?.theme ?? 'dark', language: t?.language ?? 'en' },
  };
}
