import sharp from 'sharp';
import { focusCrop, type FocusPoint } from './focus';
import { DEFAULT_MAX_INPUT_PIXELS, ImagingError, toImagingError } from './imaging-errors';
import { blitLayer, fillRgb, overlayFrame, type RawLayer } from './raster-blit';
import { looksLikeSvg, rasterizeSvg, sanitizeSvg } from './svg';
import { timedImageWork } from '../lib/metrics';

export interface Slot {
  x: number;
  y: number;
  width: number;
  height: number;
  /** Degrees, clockwise, about the slot centre. */
  rotation?: number;
  borderRadius?: number;
}

/** A frame decoded once to straight RGBA at canvas size, ready to lay over every render. */
export interface PreparedFrame {
  width: number;
  height: number;
  rgba: Buffer;
}

export interface CompositeInput {
  frame: PreparedFrame;
  slots: Slot[];
  /** photos[i] goes into slots[i]; a missing photo leaves its slot showing the background. */
  photos: Array<Buffer | null | undefined>;
  /** focus[i]: where photos[i]'s subject is (found when it was stored); else a centre crop. */
  focus?: Array<FocusPoint | null | undefined>;
  background?: string;
  output?: { quality?: number };
  maxInputPixels?: number;
}

export interface CompositeResult {
  jpeg: Buffer;
  width: number;
  height: number;
}

const MAX_CANVAS_SIDE = 8000;

/** Rasterises an SVG frame, or decodes a raster one, to RGBA of exactly the canvas size. */
export async function prepareFrame(
  frame: Buffer,
  canvas: { width: number; height: number },
): Promise<PreparedFrame> {
  const { width, height } = canvas;
  if (!validSide(width) || !validSide(height)) {
    throw ImagingError.invalid(`Canvas sides must be whole numbers from 1 to ${MAX_CANVAS_SIDE}`);
  }
  try {
    const source = looksLikeSvg(frame)
      ? await rasterizeSvg(sanitizeSvg(frame).svg, width, height)
      : frame;
    const rgba = await sharp(source, {
      limitInputPixels: DEFAULT_MAX_INPUT_PIXELS,
      failOn: 'truncated',
    })
      .resize(width, height, { fit: 'fill' })
      .ensureAlpha()
      .toColourspace('srgb')
      .raw()
      .toBuffer();
    return { width, height, rgba };
  } catch (error) {
    throw toImagingError(error);
  }
}

/** A composite's pixels before encoding: packed RGB, `width × height × 3` bytes. */
export interface RawCanvas {
  data: Buffer;
  width: number;
  height: number;
}

/**
 * Cover-fits each photo into its slot (rotated about the slot centre, clipped to the canvas),
 * lays the frame over everything and encodes a JPEG. Photos are shrunk while decoding (a 12 MP
 * capture costs little more than a slot-sized one) and resized in parallel; the layers are then
 * drawn into one raw RGB canvas (see raster-blit.ts for why not libvips' composite) that is
 * encoded once.
 */
async function renderCompositeUntimed(input: CompositeInput): Promise<CompositeResult> {
  const canvas = await renderCanvas(input);
  const { data, info } = await sharp(canvas.data, {
    raw: { width: canvas.width, height: canvas.height, channels: 3 },
  })
    .jpeg({ quality: input.output?.quality ?? 90, mozjpeg: false, chromaSubsampling: '4:2:0' })
    .toBuffer({ resolveWithObject: true });
  return { jpeg: data, width: info.width, height: info.height };
}

/** The composite as raw RGB, for callers that encode it themselves (animation frames). */
export async function renderCanvas(input: CompositeInput): Promise<RawCanvas> {
  const { frame } = input;
  if (frame.rgba.length !== frame.width * frame.height * 4) {
    throw new Error('PreparedFrame data does not match its size');
  }
  const [background, ...layers] = await Promise.all([
    colourOf(input.background ?? '#ffffff'),
    ...input.slots.map((slot, index) => {
      const photo = input.photos[index];
      return photo ? slotLayer(photo, slot, input.focus?.[index], input.maxInputPixels) : null;
    }),
  ]);
  const canvas = Buffer.allocUnsafe(frame.width * frame.height * 3);
  fillRgb(canvas, background as [number, number, number]);
  for (const layer of layers as Array<RawLayer | null>) {
    if (layer) blitLayer(canvas, frame.width, frame.height, layer);
  }
  overlayFrame(canvas, frame);
  return { data: canvas, width: frame.width, height: frame.height };
}

async function slotLayer(
  photo: Buffer,
  slot: Slot,
  focus: FocusPoint | null | undefined,
  maxInputPixels = DEFAULT_MAX_INPUT_PIXELS,
): Promise<RawLayer> {
  const width = Math.max(1, Math.round(slot.width));
  const height = Math.max(1, Math.round(slot.height));
  const rotation = normaliseAngle(slot.rotation ?? 0);
  const radius = Math.min(slot.borderRadius ?? 0, width / 2, height / 2);
  // Rounded corners of an upright slot are drawn while blitting; a rotated one is masked here.
  const needsAlpha = rotation !== 0;
  let layer: { data: Buffer; info: sharp.OutputInfo };
  try {
    let pipeline = sharp(photo, { limitInputPixels: maxInputPixels, failOn: 'truncated' });
    if (focus) {
      // The header only: the same decode as a centre crop, with the window moved to the subject.
      const meta = await pipeline.metadata();
      const sideways = (meta.orientation ?? 1) >= 5;
      const upright = {
        width: (sideways ? meta.height : meta.width) ?? width,
        height: (sideways ? meta.width : meta.height) ?? height,
      };
      const crop = focusCrop(upright, { width, height }, focus);
      pipeline = pipeline
        .autoOrient()
        .resize(crop.resizedWidth, crop.resizedHeight, { fit: 'cover', fastShrinkOnLoad: true })
        .extract({ left: crop.left, top: crop.top, width, height });
    } else {
      pipeline = pipeline
        .autoOrient()
        .resize(width, height, { fit: 'cover', position: 'centre', fastShrinkOnLoad: true });
    }
    pipeline = pipeline.toColourspace('srgb');
    pipeline = needsAlpha ? pipeline.ensureAlpha() : pipeline.removeAlpha();
    if (radius > 0 && needsAlpha) {
      pipeline = pipeline.composite([
        { input: roundedMask(width, height, radius), blend: 'dest-in' },
      ]);
    }
    layer = await pipeline.raw().toBuffer({ resolveWithObject: true });
    if (rotation !== 0) {
      layer = await sharp(layer.data, { raw: rawOf(layer.info) })
        .rotate(rotation, { background: { r: 0, g: 0, b: 0, alpha: 0 } })
        .raw()
        .toBuffer({ resolveWithObject: true });
    }
  } catch (error) {
    throw toImagingError(error);
  }
  const centreX = slot.x + slot.width / 2;
  const centreY = slot.y + slot.height / 2;
  return {
    data: layer.data,
    width: layer.info.width,
    height: layer.info.height,
    channels: layer.info.channels === 4 ? 4 : 3,
    left: Math.round(centreX - layer.info.width / 2),
    top: Math.round(centreY - layer.info.height / 2),
    radius: needsAlpha ? 0 : radius,
  };
}

async function colourOf(colour: string): Promise<[number, number, number]> {
  const hex = /^#([0-9a-f]{6})$/i.exec(colour);
  if (hex) {
    const n = parseInt(hex[1]!, 16);
    return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
  }
  const pixel = await sharp({ create: { width: 1, height: 1, channels: 3, background: colour } })
    .raw()
    .toBuffer();
  return [pixel[0]!, pixel[1]!, pixel[2]!];
}

function rawOf(info: sharp.OutputInfo): { width: number; height: number; channels: 1 | 2 | 3 | 4 } {
  return { width: info.width, height: info.height, channels: info.channels };
}

function roundedMask(width: number, height: number, radius: number): Buffer {
  return Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><rect width="${width}" height="${height}" rx="${radius}" ry="${radius}"/></svg>`,
  );
}

function normaliseAngle(degrees: number): number {
  const angle = ((degrees % 360) + 360) % 360;
  return Math.abs(angle) < 0.01 || Math.abs(angle - 360) < 0.01 ? 0 : angle;
}

function validSide(value: number): boolean {
  return Number.isInteger(value) && value >= 1 && value <= MAX_CANVAS_SIDE;
}

/** Small LRU of prepared frames keyed by the caller (e.g. `${templateId}:${updatedAt}`). */
class PreparedFrameCache {
  private readonly entries = new Map<string, Promise<PreparedFrame>>();
  private bytes = new Map<string, number>();

  constructor(
    private readonly maxEntries: number,
    private readonly maxBytes: number,
  ) {}

  get(key: string, loader: () => Promise<PreparedFrame>): Promise<PreparedFrame> {
    const hit = this.entries.get(key);
    if (hit) {
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit;
    }
    // The promise is cached at once so concurrent renders of one frame share a single load.
    const pending = loader().then(
      (frame) => {
        if (this.entries.get(key) === pending) {
          this.bytes.set(key, frame.rgba.length);
          this.evict();
        }
        return frame;
      },
      (error: unknown) => {
        if (this.entries.get(key) === pending) this.entries.delete(key);
        throw error;
      },
    );
    this.entries.set(key, pending);
    this.evict();
    return pending;
  }

  clear(): void {
    this.entries.clear();
    this.bytes.clear();
  }

  get size(): number {
    return this.entries.size;
  }

  private evict(): void {
    let total = [...this.bytes.values()].reduce((sum, n) => sum + n, 0);
    for (const key of this.entries.keys()) {
      if (this.entries.size <= this.maxEntries && total <= this.maxBytes) break;
      if (this.entries.size <= 1) break;
      this.entries.delete(key);
      total -= this.bytes.get(key) ?? 0;
      this.bytes.delete(key);
    }
  }
}

const frameCache = new PreparedFrameCache(24, 256 * 1024 * 1024);

/** The cached prepared frame for `key`, loading it with `loader` on a miss. */
export function getPreparedFrame(
  key: string,
  loader: () => Promise<PreparedFrame>,
): Promise<PreparedFrame> {
  return frameCache.get(key, loader);
}

export function clearPreparedFrames(): void {
  frameCache.clear();
}

export function preparedFrameCount(): number {
  return frameCache.size;
}

/** Timed in kk_image_work_duration_seconds{operation="render-composite"}. */
export const renderComposite = timedImageWork('render-composite', renderCompositeUntimed);
