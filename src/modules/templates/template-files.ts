import type { Config } from '../../config';
import { decodeDataUrl, inspectImage } from '../../imaging/probe';
import { looksLikeSvg, sanitizeSvg } from '../../imaging/svg';
import { normalizeFrameRaster } from '../../imaging/template-images';
import { ImagingError } from '../../imaging/imaging-errors';
import { fromImagingError } from '../../lib/error-mapping';
import { AppError, type ErrorDetail } from '../../lib/errors';
import type { FileStorage } from '../../lib/storage';

export interface CheckedImage {
  data: Buffer;
  extension: 'svg' | 'png' | 'jpg' | 'webp';
  width: number;
  height: number;
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
 * Checks an image by its content (never its declared type): SVG is sanitised, PNG/JPEG/WebP are
 * inspected (size, pixel bombs, truncation) and re-encoded without metadata.
 */
export async function checkTemplateImage(
  field: string,
  data: Buffer,
  config: Readonly<Config>,
): Promise<CheckedImage> {
  const { maxUploadBytes, maxImagePixels } = config.files;
  if (data.length > maxUploadBytes) {
    throw new AppError(413, 'PAYLOAD_TOO_LARGE', `${field}: the image is too large`, [
      { field, message: `at most ${maxUploadBytes} bytes` },
    ]);
  }
  if (looksLikeSvg(data)) {
    const svg = labelled(field, () => sanitizeSvg(data));
    return { data: Buffer.from(svg.svg), extension: 'svg', width: svg.width, height: svg.height };
  }
  return labelledAsync(field, async () => {
    await inspectImage(data, {
      maxBytes: maxUploadBytes,
      maxPixels: maxImagePixels,
      formats: RASTER_FORMATS,
    });
    const frame = await normalizeFrameRaster(data, maxImagePixels);
    return {
      data: frame.data,
      extension: frame.extension,
      width: frame.width,
      height: frame.height,
    };
  });
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

/** Saves files in order; if one save fails, the ones already written are removed. */
export async function saveAll(storage: FileStorage, images: CheckedImage[]): Promise<string[]> {
  const keys: string[] = [];
  try {
    for (const image of images)
      keys.push((await storage.save('templates', image.extension, image.data)).key);
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
