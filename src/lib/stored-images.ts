import { imageDimensions } from '../imaging/dimensions';
import { normalizeFrameRaster } from '../imaging/template-images';
import { makeThumbnail } from '../imaging/thumbnail';
import { FileStorage } from './storage';

/** The WebP thumbnail of a stored image, fitting a square box of `box` pixels. */
export async function webpThumbnail(data: Buffer, box: number): Promise<Buffer> {
  const thumbnail = await makeThumbnail(data, {
    width: box,
    height: box,
    fit: 'inside',
    format: 'webp',
  });
  return thumbnail.data;
}

/** The `$set` fields that describe a stored image. */
export function imageMetadataSet(image: {
  data: Buffer;
  width: number;
  height: number;
  format: string;
}): Record<string, number | string> {
  return {
    'metadata.width': image.width,
    'metadata.height': image.height,
    'metadata.fileSize': image.data.length,
    'metadata.format': image.format,
  };
}

/**
 * Writes a normalised upload's files under their derived keys, then runs the conditional swap
 * into its document; when the swap matched nothing (the document was deleted or took another
 * upload meanwhile), the new files are removed again. Answers whether the swap happened.
 */
export async function saveThenSwap(
  storage: FileStorage,
  files: ReadonlyArray<{ key: string; data: Buffer }>,
  swap: () => Promise<{ matchedCount: number }>,
): Promise<boolean> {
  for (const file of files) await storage.saveAt(file.key, file.data);
  const { matchedCount } = await swap();
  if (matchedCount > 0) return true;
  await storage.remove(...files.map((file) => file.key));
  return false;
}

export interface FinalFrame {
  key: string;
  data: Buffer;
  width: number;
  height: number;
  /** True when the file was written by this call (the caller removes it if its swap fails). */
  written: boolean;
}

/**
 * A frame file in its final form. A raster original waiting in `incoming/` is decoded and
 * re-encoded (upright, every metadata block dropped, alpha kept: slot detection and compositing
 * read it) and written under a key derived from the upload's, so a second delivery rewrites the
 * same file; a file already in place (a sanitised SVG) is returned as it is. Throws ImagingError
 * for a file that does not decode.
 */
export async function finalFrame(
  storage: FileStorage,
  sourceKey: string,
  folder: 'templates' | 'submissions',
  maxPixels: number,
): Promise<FinalFrame> {
  const source = await storage.read(sourceKey);
  if (FileStorage.folderOf(sourceKey) !== 'incoming') {
    const { width, height } = await imageDimensions(source);
    return { key: sourceKey, data: source, width, height, written: false };
  }
  const frame = await normalizeFrameRaster(source, maxPixels);
  const key = storage.derivedKey(folder, `frame:${sourceKey}`, frame.extension);
  await storage.saveAt(key, frame.data);
  return { key, data: frame.data, width: frame.width, height: frame.height, written: true };
}
