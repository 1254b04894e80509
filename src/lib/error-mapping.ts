import Joi from 'joi';
import mongoose from 'mongoose';
import { MulterError } from 'multer';
import { ImagingError, type ImagingFault } from '../imaging/imaging-errors';
import { AppError, type ErrorCode, type ErrorDetail } from './errors';

interface MongoLikeError {
  code?: unknown;
  keyValue?: unknown;
  keyPattern?: unknown;
}

interface HttpLikeError {
  type?: unknown;
  status?: unknown;
  statusCode?: unknown;
}

const REDIS_DOWN = [
  /Connection is closed/i,
  /Stream isn't writeable/i,
  /ECONNREFUSED/,
  /Reached the max retries per request limit/i,
  /enableOfflineQueue options is false/i,
];

/** The driver's and mongoose's errors for a database that cannot be reached (not a bad query). */
const MONGO_DOWN_NAMES = new Set([
  'MongoServerSelectionError',
  'MongooseServerSelectionError',
  'MongoNetworkError',
  'MongoNetworkTimeoutError',
  'MongoNotConnectedError',
  'MongoTopologyClosedError',
]);

/**
 * A file write refused for lack of space: the file system is full (ENOSPC), the user's quota is
 * used up (EDQUOT) or the file would pass the process's file-size limit (EFBIG, RLIMIT_FSIZE).
 */
const NO_SPACE = new Set(['ENOSPC', 'EDQUOT', 'EFBIG']);

/**
 * Maps library errors to AppError. Anything unrecognised becomes a generic 500 whose message
 * never reveals internals; the original is logged by the error handler.
 */
export function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;

  if (error instanceof ImagingError) return fromImagingError(error);

  if (Joi.isError(error)) {
    return AppError.badRequest('Validation error', joiDetails(error));
  }
  if (error instanceof mongoose.Error.ValidationError) {
    const details: ErrorDetail[] = Object.entries(error.errors).map(([field, e]) => ({
      field,
      message: e.message,
    }));
    return AppError.badRequest('Validation error', details);
  }
  if (error instanceof mongoose.Error.CastError) {
    return AppError.badRequest(`Invalid value for ${error.path}`, [
      { field: error.path, message: 'invalid value' },
    ]);
  }
  if (error instanceof MulterError) {
    if (error.code === 'LIMIT_FILE_SIZE' || error.code === 'LIMIT_FIELD_VALUE') {
      return new AppError(413, 'PAYLOAD_TOO_LARGE', 'File is too large');
    }
    return AppError.badRequest(
      `Invalid upload: ${error.message}`,
      error.field ? [{ field: error.field, message: error.code }] : undefined,
    );
  }
  if (isDuplicateKey(error)) {
    const fields = Object.keys((error.keyPattern ?? error.keyValue ?? {}) as object);
    return new AppError(
      409,
      'CONFLICT',
      fields.length ? `Duplicate value for ${fields.join(', ')}` : 'Duplicate value',
      fields.map((field) => ({ field, message: 'already exists' })),
    );
  }
  if (isBodyParserError(error)) {
    if (error.type === 'entity.too.large')
      return new AppError(413, 'PAYLOAD_TOO_LARGE', 'Request body is too large');
    if (error.type === 'entity.parse.failed') return AppError.badRequest('Invalid JSON body');
    const status = Number(error.status ?? error.statusCode);
    if (status >= 400 && status < 500)
      return new AppError(status, 'VALIDATION_FAILED', 'Invalid request body');
  }
  if (isNoSpace(error)) {
    return new AppError(
      507,
      'INSUFFICIENT_STORAGE',
      'The server has no room to store this file right now, try again later',
    );
  }
  if (
    error instanceof Error &&
    (REDIS_DOWN.some((pattern) => pattern.test(error.message)) ||
      MONGO_DOWN_NAMES.has(error.name) ||
      /buffering timed out/i.test(error.message))
  ) {
    return AppError.unavailable('A backing service is unavailable, try again shortly');
  }
  return new AppError(500, 'INTERNAL', 'Internal server error');
}

export function joiDetails(error: Joi.ValidationError): ErrorDetail[] {
  return error.details.map((d) => ({ field: d.path.join('.'), message: d.message }));
}

export function isDuplicateKey(error: unknown): error is MongoLikeError {
  return typeof error === 'object' && error !== null && (error as MongoLikeError).code === 11000;
}

function isNoSpace(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && NO_SPACE.has(code);
}

function isBodyParserError(error: unknown): error is HttpLikeError {
  return (
    typeof error === 'object' &&
    error !== null &&
    typeof (error as HttpLikeError).type === 'string' &&
    String((error as HttpLikeError).type).startsWith('entity.')
  );
}

const IMAGING_STATUS: Record<ImagingFault, [number, ErrorCode]> = {
  invalid: [400, 'VALIDATION_FAILED'],
  'too-large': [413, 'PAYLOAD_TOO_LARGE'],
  unsupported: [415, 'UNSUPPORTED_MEDIA'],
};

/** An image the client sent that imaging refused: always a 4xx. */
export function fromImagingError(error: ImagingError): AppError {
  const [status, code] = IMAGING_STATUS[error.fault];
  return new AppError(status, code, error.message, error.problems);
}
