import sharp from 'sharp';
import { toImagingError } from './imaging-errors';

/** Pixel size from the header only (raster or SVG), e.g. a frame whose template has no canvas size. */
export async function imageDimensions(data: Buffer): Promise<{ width: number; height: number }> {
  try {
    const { width, height } = await sharp(data, { limitInputPixels: false }).metadata();
    if (!width || !height) throw new Error('unsupported image format: no dimensions');
    return { width, height };
  } catch (error) {
    throw toImagingError(error);
  }
}
