import sharp from 'sharp';
import { DEFAULT_MAX_INPUT_PIXELS, toImagingError } from './imaging-errors';
import { timedImageWork } from '../lib/metrics';

export interface CaptureOptions {
  maxPixels?: number;
  /** Longest side of the stored capture; larger inputs are scaled down. */
  maxDimension?: number;
  quality?: number;
}

export interface NormalizedCapture {
  data: Buffer;
  width: number;
  height: number;
  format: 'jpeg';
}

const DEFAULT_MAX_DIMENSION = 4096;

/**
 * The stored form of a capture: upright (EXIF orientation applied), no metadata at all (GPS,
 * camera serials), sRGB JPEG, longest side bounded. mozjpeg is off: it is several times slower
 * for a few percent of size, and a booth waits for its captures' thumbnails.
 */
async function normalizeCaptureUntimed(
  input: Buffer,
  options: CaptureOptions = {},
): Promise<NormalizedCapture> {
  const maxDimension = options.maxDimension ?? DEFAULT_MAX_DIMENSION;
  try {
    const { data, info } = await sharp(input, {
      limitInputPixels: options.maxPixels ?? DEFAULT_MAX_INPUT_PIXELS,
      failOn: 'truncated',
      sequentialRead: true,
    })
      .autoOrient()
      .resize({
        width: maxDimension,
        height: maxDimension,
        fit: 'inside',
        withoutEnlargement: true,
      })
      .flatten({ background: '#ffffff' })
      .toColourspace('srgb')
      .jpeg({ quality: options.quality ?? 90, mozjpeg: false, chromaSubsampling: '4:2:0' })
      .toBuffer({ resolveWithObject: true });
    return { data, width: info.width, height: info.height, format: 'jpeg' };
  } catch (error) {
    throw toImagingError(error);
  }
}

/** Timed in kk_image_work_duration_seconds{operation="normalize-capture"}. */
export const normalizeCapture = timedImageWork('normalize-capture', normalizeCaptureUntimed);

export interface NormalizedImage {
  data: Buffer;
  width: number;
  height: number;
  format: 'jpeg' | 'png' | 'webp';
}

/**
 * The public form of an uploaded finished image (a client-rendered composite): upright, every
 * metadata block dropped (sharp writes none unless asked), re-encoded in its own format so a
 * PNG keeps its transparency and sharpness.
 */
export async function normalizeUpload(
  input: Buffer,
  format: 'jpeg' | 'png' | 'webp',
  options: Pick<CaptureOptions, 'maxPixels'> = {},
): Promise<NormalizedImage> {
  try {
    const pipeline = sharp(input, {
      limitInputPixels: options.maxPixels ?? DEFAULT_MAX_INPUT_PIXELS,
      failOn: 'truncated',
      sequentialRead: true,
    }).autoOrient();
    const encoded =
      format === 'jpeg'
        ? pipeline.jpeg({ quality: 92, mozjpeg: false })
        : format === 'png'
          ? pipeline.png({ compressionLevel: 6 })
          : pipeline.webp({ quality: 90 });
    const { data, info } = await encoded.toBuffer({ resolveWithObject: true });
    return { data, width: info.width, height: info.height, format };
  } catch (error) {
    throw toImagingError(error);
  }
}
