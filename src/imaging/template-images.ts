import sharp from 'sharp';
import { prepareFrame, renderComposite, type Slot } from './compose';
import { DEFAULT_MAX_INPUT_PIXELS, toImagingError } from './imaging-errors';
import { timedImageWork } from '../lib/metrics';

export interface NormalizedFrame {
  data: Buffer;
  extension: 'png' | 'jpg' | 'webp';
  width: number;
  height: number;
}

/**
 * Re-encodes an uploaded raster frame: upright, metadata dropped, alpha kept (PNG and WebP stay
 * lossless-with-alpha; a JPEG has no holes and stays JPEG). Re-encoding also discards anything
 * smuggled after the image data.
 */
async function normalizeFrameRasterUntimed(
  input: Buffer,
  maxPixels = DEFAULT_MAX_INPUT_PIXELS,
): Promise<NormalizedFrame> {
  try {
    const image = sharp(input, { limitInputPixels: maxPixels, failOn: 'truncated' }).autoOrient();
    const { format } = await sharp(input, { limitInputPixels: maxPixels }).metadata();
    const encoded =
      format === 'jpeg'
        ? image.jpeg({ quality: 92, mozjpeg: false })
        : format === 'webp'
          ? image.webp({ lossless: true, effort: 2 })
          : image.png({ compressionLevel: 7, adaptiveFiltering: true });
    const { data, info } = await encoded.toBuffer({ resolveWithObject: true });
    const extension = format === 'jpeg' ? 'jpg' : format === 'webp' ? 'webp' : 'png';
    return { data, extension, width: info.width, height: info.height };
  } catch (error) {
    throw toImagingError(error);
  }
}

const PLACEHOLDER_TONES: Array<[string, string]> = [
  ['#fbc2eb', '#a6c1ee'],
  ['#fddb92', '#d1fdff'],
  ['#a1c4fd', '#c2e9fb'],
  ['#d4fc79', '#96e6a1'],
  ['#fccb90', '#d57eeb'],
  ['#e0c3fc', '#8ec5fc'],
];

/**
 * A gallery preview of a frame: the frame at `width` pixels wide with a soft placeholder portrait
 * in every slot, so the holes read as "your photo here" instead of transparency. WebP.
 */
async function renderTemplatePreviewUntimed(
  frame: Buffer,
  canvas: { width: number; height: number },
  slots: readonly Slot[],
  options: { width?: number; quality?: number } = {},
): Promise<{ data: Buffer; width: number; height: number }> {
  const width = Math.min(options.width ?? 480, canvas.width);
  const scale = width / canvas.width;
  const size = { width, height: Math.max(1, Math.round(canvas.height * scale)) };
  const scaled = slots.map((s) => ({
    x: s.x * scale,
    y: s.y * scale,
    width: Math.max(1, s.width * scale),
    height: Math.max(1, s.height * scale),
    rotation: s.rotation ?? 0,
    borderRadius: (s.borderRadius ?? 0) * scale,
  }));
  const prepared = await prepareFrame(frame, size);
  const photos = scaled.map((s, i) =>
    placeholderPhoto(Math.round(s.width), Math.round(s.height), i),
  );
  const composite = await renderComposite({
    frame: prepared,
    slots: scaled,
    photos,
    background: '#f4f1ee',
    output: { quality: 95 },
  });
  try {
    const { data, info } = await sharp(composite.jpeg)
      .webp({ quality: options.quality ?? 82, effort: 4 })
      .toBuffer({ resolveWithObject: true });
    return { data, width: info.width, height: info.height };
  } catch (error) {
    throw toImagingError(error);
  }
}

function placeholderPhoto(width: number, height: number, index: number): Buffer {
  const [top, bottom] = PLACEHOLDER_TONES[index % PLACEHOLDER_TONES.length]!;
  return Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 100 100" preserveAspectRatio="xMidYMid slice">` +
      `<defs><linearGradient id="p" x1="0" y1="0" x2="0.4" y2="1"><stop offset="0" stop-color="${top}"/><stop offset="1" stop-color="${bottom}"/></linearGradient></defs>` +
      `<rect x="-50" y="-50" width="200" height="200" fill="url(#p)"/>` +
      `<circle cx="50" cy="43" r="15" fill="#ffffff" fill-opacity="0.6"/>` +
      `<path d="M20 104 C20 76 34 64 50 64 C66 64 80 76 80 104 Z" fill="#ffffff" fill-opacity="0.6"/>` +
      `</svg>`,
  );
}

/** Timed in kk_image_work_duration_seconds{operation="template-preview"}. */
export const renderTemplatePreview = timedImageWork(
  'template-preview',
  renderTemplatePreviewUntimed,
);

/** Timed in kk_image_work_duration_seconds{operation="normalize-frame"}. */
export const normalizeFrameRaster = timedImageWork('normalize-frame', normalizeFrameRasterUntimed);
