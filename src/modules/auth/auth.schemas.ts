import Joi from 'joi';
import { EMAIL_MAX_LENGTH, EMAIL_PATTERN } from '../../models/enums';

// argon2 accepts long input, but hashing megabytes per request is a cheap DoS.
export const PASSWORD_MAX_LENGTH = 128;

export const email = () =>
  Joi.string()
    .trim()
    .lowercase()
    .max(EMAIL_MAX_LENGTH)
    .pattern(EMAIL_PATTERN)
    .messages({ 'string.pattern.base': 'Please provide a valid email address' });
export const newPassword = () =>
  Joi.string()
    .min(8)
    .max(PASSWORD_MAX_LENGTH)
    .messages({ 'string.min': 'Password must be at least 8 characters long' });
export const password = () => Joi.string().min(1).max(PASSWORD_MAX_LENGTH);
export const personName = () =>
  Joi.string().trim().min(2).max(50).messages({
    'string.min': 'Name must be between 2 and 50 characters',
    'string.max': 'Name must be between 2 and 50 characters',
  });
const opaqueToken = () => Joi.string().trim().min(10).max(512);

export interface RegisterInput {
  name: string;
  email: string;
  password: string;
}

export const registerSchema = {
  body: Joi.object<RegisterInput, true>({
    name: personName().required(),
    email: email().required(),
    password: newPassword().required(),
  }),
};

export interface LoginInput {
  email: string;
  password: string;
}

export const loginSchema = {
  body: Joi.object<LoginInput, true>({
    email: email().required(),
    password: password().required(),
  }),
};

export const googleIdTokenSchema = {
  body: Joi.object<{ token?: string; credential?: string }, true>({
    token: Joi.string().trim().max(8192),
    credential: Joi.string().trim().max(8192),
  })
    .or('token', 'credential')
    .messages({ 'object.missing': 'Google token is required' }),
};

export const forgotPasswordSchema = {
  body: Joi.object<{ email: string }, true>({ email: email().required() }),
};

export const resetPasswordSchema = {
  body: Joi.object<{ token: string; newPassword: string }, true>({
    token: opaqueToken().required(),
    newPassword: newPassword().required(),
  }),
};

export const verifyEmailSchema = {
  query: Joi.object<{ token: string }, true>({ token: opaqueToken().required() }),
};

export const refreshSchema = {
  body: Joi.object<{ refreshToken: string }, true>({ refreshToken: opaqueToken().required() }),
};

export interface LogoutInput {
  refreshToken?: string;
  allDevices: boolean;
}

export const logoutSchema = {
  body: Joi.object<LogoutInput, true>({
    refreshToken: opaqueToken(),
    allDevices: Joi.boolean().default(false),
  }),
};

export const googleStartSchema = {
  query: Joi.object<{ returnTo?: string }, true>({
    returnTo: Joi.string()
      .uri({ scheme: ['http', 'https'] })
      .max(2048),
  }),
};

export const googleExchangeSchema = {
  body: Joi.object<{ code: string }, true>({ code: opaqueToken().required() }),
};
