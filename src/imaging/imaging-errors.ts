import { AppError } from '../lib/errors';

/** Pixel ceiling for any decode; the header of a "decompression bomb" declares far more. */
export const DEFAULT_MAX_INPUT_PIXELS = 50_000_000;

/** Maps a sharp/libvips failure to a 4xx AppError; AppErrors pass through unchanged. */
export function toImagingError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  const message = error instanceof Error ? error.message : String(error);
  if (/pixel limit/i.test(message)) {
    return new AppError(413, 'PAYLOAD_TOO_LARGE', 'The image has too many pixels');
  }
  if (/unsupported image format|bad seek|not a known file format/i.test(message)) {
    return new AppError(415, 'UNSUPPORTED_MEDIA', 'The file is not a supported image');
  }
  return AppError.badRequest('The image is truncated or corrupt');
}
