import sharp from 'sharp';
import { AppError } from '../lib/errors';

export type RasterFormat = 'jpeg' | 'png' | 'webp' | 'gif';

export interface ImageLimits {
  maxBytes: number;
  /** Checked from the header before any pixel is decoded (decompression bombs). */
  maxPixels: number;
  formats: readonly RasterFormat[];
}

export interface ImageInfo {
  format: RasterFormat;
  width: number;
  height: number;
  /** Width and height after EXIF orientation is applied. */
  orientedWidth: number;
  orientedHeight: number;
  size: number;
  hasAlpha: boolean;
}

export const EXTENSION_OF: Record<RasterFormat, 'jpg' | 'png' | 'webp'> = {
  jpeg: 'jpg',
  png: 'png',
  webp: 'webp',
  gif: 'png',
};

/**
 * The real type and size of an upload, from its bytes (never the client's MIME type or file
 * name). Refuses oversized files, unknown or unlisted formats, pixel bombs and truncated images
 * with a 4xx AppError; nothing is written anywhere.
 */
export async function inspectImage(data: Buffer, limits: ImageLimits): Promise<ImageInfo> {
  if (data.length === 0) throw AppError.badRequest('The image is empty');
  if (data.length > limits.maxBytes) {
    throw new AppError(
      413,
      'PAYLOAD_TOO_LARGE',
      `The image is larger than ${Math.floor(limits.maxBytes / 1024 / 1024)} MB`,
    );
  }
  let metadata: sharp.Metadata;
  try {
    metadata = await sharp(data, { limitInputPixels: false }).metadata();
  } catch {
    throw new AppError(415, 'UNSUPPORTED_MEDIA', 'The file is not a supported image');
  }
  const format = metadata.format as string | undefined;
  if (!format || !(limits.formats as readonly string[]).includes(format)) {
    throw new AppError(
      415,
      'UNSUPPORTED_MEDIA',
      `Unsupported image type; allowed: ${limits.formats.join(', ')}`,
    );
  }
  const width = metadata.width ?? 0;
  const height = metadata.height ?? 0;
  if (width <= 0 || height <= 0) throw AppError.badRequest('The image has no dimensions');
  if (width * height > limits.maxPixels) {
    throw new AppError(
      413,
      'PAYLOAD_TOO_LARGE',
      `The image has too many pixels (${width}×${height})`,
    );
  }
  // A full decode catches truncated or corrupt data that the header alone does not reveal.
  try {
    await sharp(data, { limitInputPixels: limits.maxPixels, failOn: 'truncated' }).stats();
  } catch {
    throw AppError.badRequest('The image is truncated or corrupt');
  }
  const swapped = (metadata.orientation ?? 1) >= 5;
  return {
    format: format as RasterFormat,
    width,
    height,
    orientedWidth: swapped ? height : width,
    orientedHeight: swapped ? width : height,
    size: data.length,
    hasAlpha: Boolean(metadata.hasAlpha),
  };
}

/** Decodes a `data:image/...;base64,` URL; the declared type is ignored (inspectImage decides). */
export function decodeDataUrl(value: string, maxBytes: number): Buffer {
  const match = /^data:([\w.+-]+\/[\w.+-]+)?(;[\w-]+=[\w.-]+)*;base64,/i.exec(value.slice(0, 200));
  if (!match) throw AppError.badRequest('Expected a base64 data URL');
  const base64 = value.slice(match[0].length);
  // Check the size before allocating: base64 is 4 characters for every 3 bytes.
  if (Math.floor((base64.length * 3) / 4) > maxBytes + 3) {
    throw new AppError(
      413,
      'PAYLOAD_TOO_LARGE',
      `The image is larger than ${Math.floor(maxBytes / 1024 / 1024)} MB`,
    );
  }
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(base64.replace(/\s/g, '')))
    throw AppError.badRequest('The data URL is not valid base64');
  return Buffer.from(base64, 'base64');
}
