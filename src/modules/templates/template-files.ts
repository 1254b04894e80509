import type { Config } from '../../config';
import { EXTENSION_OF, decodeDataUrl, probeImage } from '../../imaging/probe';
import { looksLikeSvg, sanitizeSvg } from '../../imaging/svg';
import { ImagingError } from '../../imaging/imaging-errors';
import { fromImagingError } from '../../lib/error-mapping';
import { AppError, type ErrorDetail } from '../../lib/errors';
import type { FileStorage, StorageFolder } from '../../lib/storage';

/**
 * A frame or thumbnail accepted on the request path. An SVG is already in its final form
 * (sanitised); a raster image is the original as uploaded, checked from its header only, and
 * goes to the private `incoming/` folder until a job normalises it.
 */
export interface AcceptedImage {
  data: Buffer;
  extension: 'svg' | 'png' | 'jpg' | 'webp';
  /** Upright size (EXIF orientation applied) from the header. */
  width: number;
  height: number;
  raster: boolean;
}

const RASTER_FORMATS = ['png', 'jpeg', 'webp'] as const;

/**
 * The bytes of an uploaded frame or thumbnail: a multipart file wins over a data URL. Returns
 * undefined when neither was sent, or when the value is the URL the template already has.
 */
export function incomingImage(
  field: string,
  file: Buffer | undefined,
  value: string | undefined,
  config: Readonly<Config>,
  currentUrl?: string,
): Buffer | undefined {
  if (file) return file;
  if (!value || value === currentUrl) return undefined;
  if (!value.startsWith('data:')) {
    throw AppError.badRequest(`${field} must be an image data URL or an uploaded file`, [
      { field, message: 'expected a data:image/...;base64, URL' },
    ]);
  }
  return labelled(field, () => decodeDataUrl(value, config.files.maxUploadBytes));
}

/**
 * Checks an image by its content (never its declared type) without decoding a pixel. SVG text is
 * sanitised here: it is a bounded XML parse, not a raster decode, and the sanitised text is the
 * stored form. PNG/JPEG/WebP: size, real type, upright dimensions and the pixel ceiling from the
 * header, and the format's end marker (a truncated upload); the job that normalises the file
 * decodes it.
 */
export async function acceptFrameImage(
  field: string,
  data: Buffer,
  config: Readonly<Config>,
): Promise<AcceptedImage> {
  const { maxUploadBytes, maxImagePixels } = config.files;
  if (data.length > maxUploadBytes) {
    throw new AppError(413, 'PAYLOAD_TOO_LARGE', `${field}: the image is too large`, [
      { field, message: `at most ${maxUploadBytes} bytes` },
    ]);
  }
  if (looksLikeSvg(data)) {
    const svg = labelled(field, () => sanitizeSvg(data));
    return {
      data: Buffer.from(svg.svg),
      extension: 'svg',
      width: svg.width,
      height: svg.height,
      raster: false,
    };
  }
  const info = await labelledAsync(field, () =>
    probeImage(data, {
      maxBytes: maxUploadBytes,
      maxPixels: maxImagePixels,
      formats: RASTER_FORMATS,
    }),
  );
  return {
    data,
    extension: EXTENSION_OF[info.format],
    width: info.orientedWidth,
    height: info.orientedHeight,
    raster: true,
  };
}

/** 400 naming every slot that reaches past the frame's canvas. */
export function assertSlotsInside(
  slots: ReadonlyArray<{ x: number; y: number; width: number; height: number }>,
  canvas: { width: number; height: number },
): void {
  const problems: ErrorDetail[] = [];
  slots.forEach((slot, index) => {
    if (slot.x + slot.width > canvas.width || slot.y + slot.height > canvas.height) {
      problems.push({
        field: `layoutPositions.${index}`,
        message: `slot ${index + 1} (${slot.x},${slot.y} ${slot.width}×${slot.height}) lies outside the ${canvas.width}×${canvas.height} frame`,
      });
    }
  });
  if (problems.length > 0)
    throw AppError.badRequest('layoutPositions must lie inside the frame', problems);
}

/**
 * Saves files in order: an SVG to `folder` (its final place), a raster original to the private
 * `incoming/` folder. If one save fails, the ones already written are removed.
 */
export async function saveAll(
  storage: FileStorage,
  images: AcceptedImage[],
  folder: StorageFolder,
): Promise<string[]> {
  const keys: string[] = [];
  try {
    for (const image of images)
      keys.push(
        (await storage.save(image.raster ? 'incoming' : folder, image.extension, image.data)).key,
      );
    return keys;
  } catch (error) {
    await storage.remove(...keys);
    throw error;
  }
}

function labelled<T>(field: string, run: () => T): T {
  try {
    return run();
  } catch (error) {
    throw relabel(field, error);
  }
}

async function labelledAsync<T>(field: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw relabel(field, error);
  }
}

function relabel(field: string, failure: unknown): unknown {
  const error = failure instanceof ImagingError ? fromImagingError(failure) : failure;
  if (!(error instanceof AppError)) return error;
  const details = Array.isArray(error.details)
    ? error.details
    : [{ field, message: error.message }];
  return new AppError(error.status, error.code, `${field}: ${error.message}`, details);
}
