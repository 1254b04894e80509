import Joi from 'joi';
import { USER_ROLES, type UserRole } from '../../models/enums';
import { email, newPassword, password, personName } from '../auth/auth.schemas';

const PHONE_PATTERN = /^[\d\s\-+()]+$/;

/** Only these keys can change; role, isPremium, googleId, password… are stripped (whitelist). */
export interface UpdateProfileInput {
  name?: string;
  email?: string;
  phone?: string;
}

export const updateProfileSchema = {
  body: Joi.object<UpdateProfileInput, true>({
    name: personName(),
    email: email(),
    phone: Joi.string()
      .trim()
      .max(20)
      .pattern(PHONE_PATTERN)
      .allow('')
      .messages({ 'string.pattern.base': 'Please provide a valid phone number' }),
  })
    .or('name', 'email', 'phone')
    .messages({ 'object.missing': 'Please provide at least one field to update' }),
};

export interface ChangePasswordInput {
  currentPassword: string;
  newPassword: string;
}

export const changePasswordSchema = {
  body: Joi.object<ChangePasswordInput, true>({
    currentPassword: password().required(),
    newPassword: newPassword().required(),
  }),
};

export const passwordConfirmationSchema = {
  body: Joi.object<{ password: string }, true>({
    password: password().required().messages({ 'any.required': 'Password is required' }),
  }),
};

const notificationSettings = Joi.object({
  emailNotifications: Joi.boolean(),
  templateAlerts: Joi.boolean(),
  weeklyReports: Joi.boolean(),
});
const themeSettings = Joi.object({
  theme: Joi.string().valid('light', 'dark'),
  language: Joi.string().valid('en', 'id'),
});

export interface UpdateSettingsInput {
  type: 'notifications' | 'theme';
  settings: Record<string, unknown>;
}

export const updateSettingsSchema = {
  body: Joi.object<UpdateSettingsInput, true>({
    type: Joi.string().valid('notifications', 'theme').required(),
    settings: Joi.object<Record<string, unknown>>()
      .when('type', { is: 'notifications', then: notificationSettings, otherwise: themeSettings })
      .required(),
  }),
};

export const upgradePremiumSchema = {
  body: Joi.object<{ expiresInDays: number }, true>({
    expiresInDays: Joi.number().integer().min(1).max(365).default(30),
  }),
};

const objectId = () =>
  Joi.string()
    .trim()
    .hex()
    .length(24)
    .messages({ 'string.hex': 'Invalid user id', 'string.length': 'Invalid user id' });
export const userIdParams = Joi.object<{ id: string }, true>({ id: objectId().required() });

export interface UserListQuery {
  search?: string;
  role?: UserRole;
  isPremium?: boolean;
  isActive?: boolean;
  limit: number;
  skip?: number;
  page?: number;
}

export const listUsersSchema = {
  query: Joi.object<UserListQuery, true>({
    search: Joi.string().trim().max(100).allow(''),
    role: Joi.string().valid(...USER_ROLES),
    isPremium: Joi.boolean(),
    isActive: Joi.boolean(),
    limit: Joi.number().integer().min(1).max(200).default(50),
    skip: Joi.number().integer().min(0).max(1_000_000),
    page: Joi.number().integer().min(1).max(100_000),
  }),
};

export const userIdSchema = { params: userIdParams };

export const changeRoleSchema = {
  params: userIdParams,
  body: Joi.object<{ role: UserRole }, true>({
    role: Joi.string()
      .valid(...USER_ROLES)
      .required(),
  }),
};

export const blockUserSchema = {
  params: userIdParams,
  body: Joi.object<{ isActive: boolean }, true>({ isActive: Joi.boolean().required() }),
};

export const setPremiumSchema = {
  params: userIdParams,
  body: Joi.object<{ isPremium: boolean; expiresInDays: number }, true>({
    isPremium: Joi.boolean().required(),
    expiresInDays: Joi.number().integer().min(1).max(3650).default(30),
  }),
};

export const activitiesSchema = {
  params: userIdParams,
  query: Joi.object<{ limit: number; skip: number }, true>({
    limit: Joi.number().integer().min(1).max(100).default(20),
    skip: Joi.number().integer().min(0).max(10_000).default(0),
  }),
};
