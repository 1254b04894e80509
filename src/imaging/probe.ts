import sharp from 'sharp';
import { ImagingError } from './imaging-errors';

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
 * The header checks both entry points share: size, real type, dimensions and the pixel ceiling,
 * from the header bytes alone. `unreadable` decides what a header that does not parse is.
 */
async function checkHeader(
  data: Buffer,
  limits: ImageLimits,
  unreadable: () => ImagingError,
): Promise<ImageInfo> {
  if (data.length === 0) throw ImagingError.invalid('The image is empty');
  if (data.length > limits.maxBytes) {
    throw ImagingError.tooLarge(
      `The image is larger than ${Math.floor(limits.maxBytes / 1024 / 1024)} MB`,
    );
  }
  let metadata: sharp.Metadata;
  try {
    metadata = await sharp(data, { limitInputPixels: false }).metadata();
  } catch {
    throw unreadable();
  }
  const format = metadata.format as string | undefined;
  if (!format || !(limits.formats as readonly string[]).includes(format)) {
    throw ImagingError.unsupported(`Unsupported image type; allowed: ${limits.formats.join(', ')}`);
  }
  const width = metadata.width ?? 0;
  const height = metadata.height ?? 0;
  if (width <= 0 || height <= 0) throw ImagingError.invalid('The image has no dimensions');
  if (width * height > limits.maxPixels) {
    throw ImagingError.tooLarge(`The image has too many pixels (${width}×${height})`);
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

/**
 * The real type and size of an upload, from its bytes (never the client's MIME type or file
 * name). Refuses oversized files, unknown or unlisted formats, pixel bombs and truncated images
 * with an ImagingError; nothing is written anywhere.
 */
export async function inspectImage(data: Buffer, limits: ImageLimits): Promise<ImageInfo> {
  const info = await checkHeader(data, limits, () => ImagingError.unsupported());
  // A full decode catches truncated or corrupt data that the header alone does not reveal.
  try {
    await sharp(data, { limitInputPixels: limits.maxPixels, failOn: 'truncated' }).stats();
  } catch {
    throw ImagingError.invalid('The image is truncated or corrupt');
  }
  return info;
}

/**
 * The request-path check of an upload: size, real type and dimensions from the header bytes, the
 * pixel ceiling, and a complete file (the format's end marker is present), without decoding any
 * pixel. The full decode happens in the job that normalises the upload.
 */
export async function probeImage(data: Buffer, limits: ImageLimits): Promise<ImageInfo> {
  const info = await checkHeader(data, limits, () =>
    // A known signature whose header does not parse is a broken image, not a foreign file.
    hasImageSignature(data)
      ? ImagingError.invalid('The image is truncated or corrupt')
      : ImagingError.unsupported(),
  );
  if (!isComplete(info.format, data))
    throw ImagingError.invalid('The image is truncated or corrupt');
  return info;
}

const JPEG_EOI = Buffer.from([0xff, 0xd9]);
const SIGNATURES: ReadonlyArray<{ offset: number; bytes: Buffer }> = [
  { offset: 0, bytes: Buffer.from([0xff, 0xd8, 0xff]) },
  { offset: 0, bytes: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]) },
  { offset: 8, bytes: Buffer.from('WEBP', 'latin1') },
  { offset: 0, bytes: Buffer.from('GIF8', 'latin1') },
];

function hasImageSignature(data: Buffer): boolean {
  return SIGNATURES.some(({ offset, bytes }) =>
    data.subarray(offset, offset + bytes.length).equals(bytes),
  );
}

/**
 * Whether the file reaches its format's end marker: a transfer cut short (the common corrupt
 * upload) is refused here, while damage inside a complete file is found by the job's decode.
 */
export function isComplete(format: RasterFormat, data: Buffer): boolean {
  switch (format) {
    case 'jpeg': {
      // Inside entropy-coded data 0xFF is always followed by 0x00 or a restart marker, so an EOI
      // after the first scan starts is the real end (an EXIF thumbnail's EOI comes before it).
      const scan = firstJpegScan(data);
      return scan > 0 && data.lastIndexOf(JPEG_EOI) > scan;
    }
    case 'png':
      return data.lastIndexOf('IEND', undefined, 'latin1') >= data.length - 64;
    case 'webp':
      return data.length >= 12 && data.readUInt32LE(4) + 8 <= data.length;
    case 'gif':
      return data.lastIndexOf(0x3b) >= data.length - 16;
  }
}

/** Offset of the first start-of-scan marker, walking the JPEG's segments; -1 if there is none. */
function firstJpegScan(data: Buffer): number {
  let offset = 2;
  while (offset + 4 <= data.length) {
    if (data[offset] !== 0xff) return -1;
    const marker = data[offset + 1] ?? 0;
    if (marker === 0xff) {
      offset += 1;
      continue;
    }
    if (marker === 0xda) return offset;
    offset += 2 + data.readUInt16BE(offset + 2);
  }
  return -1;
}

const INVALID_BASE64 = /[^A-Za-z0-9+/=\r\n\t ]/;

/** Decodes a `data:image/...;base64,` URL; the declared type is ignored (inspectImage decides). */
export function decodeDataUrl(value: string, maxBytes: number): Buffer {
  const match = /^data:([\w.+-]+\/[\w.+-]+)?(;[\w-]+=[\w.-]+)*;base64,/i.exec(value.slice(0, 200));
  if (!match) throw ImagingError.invalid('Expected a base64 data URL');
  const base64 = value.slice(match[0].length);
  // Check the size before allocating: base64 is 4 characters for every 3 bytes.
  if (Math.floor((base64.length * 3) / 4) > maxBytes + 3) {
    throw ImagingError.tooLarge(
      `The image is larger than ${Math.floor(maxBytes / 1024 / 1024)} MB`,
    );
  }
  // One scan without copying the (large) string; line breaks are allowed, as in MIME base64.
  const padding = base64.indexOf('=');
  if (INVALID_BASE64.test(base64) || (padding !== -1 && base64.length - padding > 4))
    throw ImagingError.invalid('The data URL is not valid base64');
  return Buffer.from(base64, 'base64');
}
