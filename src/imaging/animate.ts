import sharp from 'sharp';
import type { RawCanvas } from './compose';
import { toImagingError } from './imaging-errors';

export type AnimatedImageFormat = 'webp' | 'gif';

export interface AnimationInput {
  /** Frames in play order, all of the same size (packed RGB). */
  frames: RawCanvas[];
  /** How long each frame shows, in ms. */
  delayMs: number;
  format: AnimatedImageFormat;
  /** The encoder steps down (quality, colours, then size) until the file fits. */
  maxBytes: number;
}

export interface AnimationResult {
  data: Buffer;
  width: number;
  height: number;
  frames: number;
}

export class AnimationTooLargeError extends Error {}

interface Step {
  scale: number;
  /** WebP quality. */
  quality: number;
  /** GIF palette size. */
  colours: number;
}

// Photos with frames compress well; the later steps exist for noisy, high-detail captures.
const STEPS: readonly Step[] = [
  { scale: 1, quality: 75, colours: 128 },
  { scale: 1, quality: 55, colours: 64 },
  { scale: 0.75, quality: 45, colours: 64 },
  { scale: 0.5, quality: 40, colours: 32 },
];

/**
 * Encodes frames as an endlessly looping animated WebP or GIF (every frame shows `delayMs`; a
 * single number would set only the first frame's delay in sharp). The frames are stacked into
 * one tall raw image with a page height, which libvips reads as an animation.
 */
export async function encodeAnimation(input: AnimationInput): Promise<AnimationResult> {
  const first = input.frames[0];
  if (!first) throw new Error('An animation needs at least one frame');
  if (input.frames.some((f) => f.width !== first.width || f.height !== first.height)) {
    throw new Error('Animation frames must all have the same size');
  }
  try {
    for (const step of STEPS) {
      const frames = step.scale === 1 ? input.frames : await scaleFrames(input.frames, step.scale);
      const { width, height } = frames[0]!;
      const stacked = Buffer.concat(frames.map((f) => f.data));
      const image = sharp(stacked, {
        raw: { width, height: height * frames.length, channels: 3, pageHeight: height },
      });
      const delay = frames.map(() => input.delayMs);
      const data =
        input.format === 'webp'
          ? await image.webp({ quality: step.quality, loop: 0, delay, effort: 4 }).toBuffer()
          : await image
              .gif({ loop: 0, delay, colours: step.colours, dither: 0.5, effort: 5 })
              .toBuffer();
      if (data.length <= input.maxBytes) return { data, width, height, frames: frames.length };
    }
  } catch (error) {
    throw toImagingError(error);
  }
  throw new AnimationTooLargeError(
    `The animation does not fit in ${Math.round(input.maxBytes / 1024)} KiB`,
  );
}

async function scaleFrames(frames: RawCanvas[], scale: number): Promise<RawCanvas[]> {
  const width = Math.max(2, Math.round(frames[0]!.width * scale));
  const height = Math.max(2, Math.round(frames[0]!.height * scale));
  return Promise.all(
    frames.map(async (frame) => ({
      data: await sharp(frame.data, {
        raw: { width: frame.width, height: frame.height, channels: 3 },
      })
        .resize(width, height, { fit: 'fill' })
        .raw()
        .toBuffer(),
      width,
      height,
    })),
  );
}

/** Play order: the captures once (`gif`), or forward then back without repeating the ends. */
export function playOrder(count: number, kind: 'gif' | 'boomerang'): number[] {
  const forward = Array.from({ length: count }, (_, i) => i);
  if (kind === 'gif' || count < 3) return forward;
  return [...forward, ...forward.slice(1, -1).reverse()];
}
