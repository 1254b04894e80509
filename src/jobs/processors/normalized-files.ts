import { makeThumbnail } from '../../imaging/thumbnail';
import type { FileStorage } from '../../lib/storage';

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
