export type ErrorCode =
  | 'VALIDATION_FAILED'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'PAYLOAD_TOO_LARGE'
  | 'UNSUPPORTED_MEDIA'
  /** A valid request for an output this server cannot produce (e.g. MP4 without an encoder). */
  | 'FORMAT_UNAVAILABLE'
  | 'USAGE_LIMIT_REACHED'
  | 'PREMIUM_REQUIRED'
  | 'RATE_LIMITED'
  | 'SERVICE_UNAVAILABLE'
  /** The file store is full (or over quota): the upload was not kept; retrying later may work. */
  | 'INSUFFICIENT_STORAGE'
  | 'INTERNAL';

export interface ErrorDetail {
  field?: string;
  message: string;
}

/** The one error type services throw; the error handler renders it in the route's envelope. */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    readonly details?: ErrorDetail[] | string,
    /** Extra top-level fields some envelopes carry (e.g. `payment` on a duplicate payment). */
    readonly extra?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'AppError';
  }

  static badRequest(message: string, details?: ErrorDetail[] | string): AppError {
    return new AppError(400, 'VALIDATION_FAILED', message, details);
  }
  static unauthenticated(message = 'Invalid or expired token'): AppError {
    return new AppError(401, 'UNAUTHENTICATED', message);
  }
  static forbidden(message = 'Access denied'): AppError {
    return new AppError(403, 'FORBIDDEN', message);
  }
  static notFound(message = 'Not found'): AppError {
    return new AppError(404, 'NOT_FOUND', message);
  }
  static conflict(message: string, extra?: Record<string, unknown>): AppError {
    return new AppError(409, 'CONFLICT', message, undefined, extra);
  }
  static unavailable(message = 'Service temporarily unavailable'): AppError {
    return new AppError(503, 'SERVICE_UNAVAILABLE', message);
  }
}
