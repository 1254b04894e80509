import sharp from 'sharp';
import { DEFAULT_MAX_INPUT_PIXELS, toImagingError } from './imaging-errors';
import { timedImageWork } from '../lib/metrics';

export interface ThumbnailOptions {
  width: number;
  height?: number;
  format: 'webp' | 'jpeg';
  quality?: number;
  /** Defaults to `cover` when a height is given; without a height the aspect ratio is kept. */
  fit?: 'cover' | 'inside';
  maxInputPixels?: number;
}

export interface Thumbnail {
  data: Buffer;
  width: number;
  height: number;
  format: 'webp' | 'jpeg';
}

/**
 * A small preview: EXIF orientation applied, all metadata dropped (sharp writes none unless asked).
 * JPEG and WebP inputs are shrunk while decoding (libvips shrink-on-load), which is what keeps this
 * close to the cost of decoding at the target size.
 */
async function makeThumbnailUntimed(input: Buffer, options: ThumbnailOptions): Promise<Thumbnail> {
  const fit = options.fit ?? (options.height ? 'cover' : 'inside');
  const quality = options.quality ?? (options.format === 'webp' ? 78 : 82);
  try {
    const pipeline = sharp(input, {
      limitInputPixels: options.maxInputPixels ?? DEFAULT_MAX_INPUT_PIXELS,
      failOn: 'truncated',
      sequentialRead: true,
    })
      .autoOrient()
      .resize({
        width: options.width,
        height: options.height,
        fit,
        withoutEnlargement: true,
        fastShrinkOnLoad: true,
      });
    const encoded =
      options.format === 'webp'
        ? pipeline.webp({ quality, effort: 2, smartSubsample: false })
        : pipeline.jpeg({ quality, mozjpeg: false, progressive: false });
    const { data, info } = await encoded.toBuffer({ resolveWithObject: true });
    return { data, width: info.width, height: info.height, format: options.format };
  } catch (error) {
    throw toImagingError(error);
  }
}

/** Timed in kk_image_work_duration_seconds{operation="thumbnail"}. */
export const makeThumbnail = timedImageWork('thumbnail', makeThumbnailUntimed);
