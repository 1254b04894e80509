/** Pixel ceiling for any decode; the header of a "decompression bomb" declares far more. */
export const DEFAULT_MAX_INPUT_PIXELS = 50_000_000;

/**
 * What was wrong with an image: `invalid` (corrupt, empty, unsafe or out of bounds),
 * `too-large` (bytes or pixels over a limit) or `unsupported` (not an image format we read).
 */
export type ImagingFault = 'invalid' | 'too-large' | 'unsupported';

export interface ImagingProblem {
  field?: string;
  message: string;
}

/**
 * The one error imaging throws: always the input's fault, never the server's, so it is not worth
 * retrying. The HTTP layer maps it to a 4xx (lib/error-mapping.ts); jobs treat it as final.
 */
export class ImagingError extends Error {
  constructor(
    readonly fault: ImagingFault,
    message: string,
    readonly problems?: ImagingProblem[],
  ) {
    super(message);
    this.name = 'ImagingError';
  }

  static invalid(message: string, problems?: ImagingProblem[]): ImagingError {
    return new ImagingError('invalid', message, problems);
  }
  static tooLarge(message: string): ImagingError {
    return new ImagingError('too-large', message);
  }
  static unsupported(message = 'The file is not a supported image'): ImagingError {
    return new ImagingError('unsupported', message);
  }
}

/** Maps a sharp/libvips failure to an ImagingError; ImagingErrors pass through unchanged. */
export function toImagingError(error: unknown): ImagingError {
  if (error instanceof ImagingError) return error;
  const message = error instanceof Error ? error.message : String(error);
  if (/pixel limit/i.test(message)) return ImagingError.tooLarge('The image has too many pixels');
  if (/unsupported image format|bad seek|not a known file format/i.test(message)) {
    return ImagingError.unsupported();
  }
  return ImagingError.invalid('The image is truncated or corrupt');
}
