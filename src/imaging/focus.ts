import sharp from 'sharp';
import { DEFAULT_MAX_INPUT_PIXELS, toImagingError } from './imaging-errors';

/** Where the subject of a photo is, as fractions of its upright width and height (0–1). */
export interface FocusPoint {
  x: number;
  y: number;
}

/** Long side of the copy the subject is looked for in: enough for faces, cheap (~20 ms). */
const SEARCH_SIDE = 256;

/**
 * Finds the subject once, when a capture is stored, with libvips' attention strategy (skin tones,
 * saturation and edges) on a small upright copy: a narrow, full-height window is slid across it,
 * and the centre of attention it reports is the focus. Renders then crop around it at no extra
 * cost (see focusCrop).
 */
export async function findFocusPoint(
  image: Buffer,
  maxPixels = DEFAULT_MAX_INPUT_PIXELS,
): Promise<FocusPoint> {
  try {
    const small = await sharp(image, { limitInputPixels: maxPixels, failOn: 'truncated' })
      .autoOrient()
      .resize(SEARCH_SIDE, SEARCH_SIDE, { fit: 'inside' })
      .removeAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    const { width, height, channels } = small.info;
    const { info } = await sharp(small.data, { raw: { width, height, channels } })
      .resize(Math.max(1, Math.round(width / 4)), height, { fit: 'cover', position: 'attention' })
      .raw()
      .toBuffer({ resolveWithObject: true });
    return {
      x: fraction((info.attentionX ?? width / 2) / width),
      y: fraction((info.attentionY ?? height / 2) / height),
    };
  } catch (error) {
    throw toImagingError(error);
  }
}

/**
 * The cover-fit of an `imageWidth × imageHeight` photo into a `width × height` slot, cropped so the
 * focus sits as near the slot's centre as the photo's edges allow: resize to (resizedWidth,
 * resizedHeight), then extract at (left, top). A centred focus gives the centre crop.
 */
export function focusCrop(
  image: { width: number; height: number },
  slot: { width: number; height: number },
  focus: FocusPoint,
): { resizedWidth: number; resizedHeight: number; left: number; top: number } {
  const scale = Math.max(slot.width / image.width, slot.height / image.height);
  const resizedWidth = Math.max(slot.width, Math.round(image.width * scale));
  const resizedHeight = Math.max(slot.height, Math.round(image.height * scale));
  const clamp = (value: number, max: number) => Math.min(Math.max(0, Math.round(value)), max);
  return {
    resizedWidth,
    resizedHeight,
    left: clamp(focus.x * resizedWidth - slot.width / 2, resizedWidth - slot.width),
    top: clamp(focus.y * resizedHeight - slot.height / 2, resizedHeight - slot.height),
  };
}

function fraction(value: number): number {
  return Math.round(Math.min(1, Math.max(0, value)) * 1000) / 1000;
}
