import sharp from 'sharp';
import { AppError } from '../lib/errors';
import { DEFAULT_MAX_INPUT_PIXELS, toImagingError } from './imaging-errors';
import { looksLikeSvg, rasterizeSvg, sanitizeSvg } from './svg';

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
    throw AppError.badRequest(`Canvas sides must be whole numbers from 1 to ${MAX_CANVAS_SIDE}`);
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

/**
 * Cover-fits each photo into its slot (rotated about the slot centre, clipped to the canvas),
 * lays the frame over everything and encodes a JPEG, in one libvips pipeline from a flat
 * background. Photos are shrunk while decoding, so a 12 MP capture costs little more than a
 * slot-sized one.
 */
export async function renderComposite(input: CompositeInput): Promise<CompositeResult> {
  const { frame } = input;
  if (frame.rgba.length !== frame.width * frame.height * 4) {
    throw new Error('PreparedFrame data does not match its size');
  }
  const layers = await Promise.all(
    input.slots.map((slot, index) => {
      const photo = input.photos[index];
      return photo ? slotLayer(photo, slot, frame, input.maxInputPixels) : null;
    }),
  );
  const overlays: sharp.OverlayOptions[] = [];
  for (const layer of layers) if (layer) overlays.push(layer);
  overlays.push({
    input: frame.rgba,
    raw: { width: frame.width, height: frame.height, channels: 4 },
    left: 0,
    top: 0,
  });

  const { data, info } = await sharp({
    create: {
      width: frame.width,
      height: frame.height,
      channels: 3,
      background: input.background ?? '#ffffff',
    },
  })
    .composite(overlays)
    .jpeg({ quality: input.output?.quality ?? 90, mozjpeg: false, chromaSubsampling: '4:2:0' })
    .toBuffer({ resolveWithObject: true });
  return { jpeg: data, width: info.width, height: info.height };
}

async function slotLayer(
  photo: Buffer,
  slot: Slot,
  canvas: { width: number; height: number },
  maxInputPixels = DEFAULT_MAX_INPUT_PIXELS,
): Promise<sharp.OverlayOptions | null> {
  const width = Math.max(1, Math.round(slot.width));
  const height = Math.max(1, Math.round(slot.height));
  const rotation = normaliseAngle(slot.rotation ?? 0);
  const radius = Math.min(slot.borderRadius ?? 0, width / 2, height / 2);
  const needsAlpha = rotation !== 0 || radius > 0;
  let fitted: { data: Buffer; info: sharp.OutputInfo };
  try {
    let pipeline = sharp(photo, { limitInputPixels: maxInputPixels, failOn: 'truncated' })
      .autoOrient()
      .resize(width, height, { fit: 'cover', position: 'centre', fastShrinkOnLoad: true })
      .toColourspace('srgb');
    pipeline = needsAlpha ? pipeline.ensureAlpha() : pipeline.removeAlpha();
    if (radius > 0) {
      pipeline = pipeline.composite([
        { input: roundedMask(width, height, radius), blend: 'dest-in' },
      ]);
    }
    fitted = await pipeline.raw().toBuffer({ resolveWithObject: true });
  } catch (error) {
    throw toImagingError(error);
  }
  let layer = fitted;
  if (rotation !== 0) {
    layer = await sharp(fitted.data, { raw: rawOf(fitted.info) })
      .rotate(rotation, { background: { r: 0, g: 0, b: 0, alpha: 0 } })
      .raw()
      .toBuffer({ resolveWithObject: true });
  }
  const centreX = slot.x + slot.width / 2;
  const centreY = slot.y + slot.height / 2;
  const left = Math.round(centreX - layer.info.width / 2);
  const top = Math.round(centreY - layer.info.height / 2);
  return clipToCanvas(layer, left, top, canvas);
}

async function clipToCanvas(
  layer: { data: Buffer; info: sharp.OutputInfo },
  left: number,
  top: number,
  canvas: { width: number; height: number },
): Promise<sharp.OverlayOptions | null> {
  const x0 = Math.max(0, left);
  const y0 = Math.max(0, top);
  const x1 = Math.min(canvas.width, left + layer.info.width);
  const y1 = Math.min(canvas.height, top + layer.info.height);
  if (x1 <= x0 || y1 <= y0) return null;
  const inside =
    x0 === left && y0 === top && x1 - x0 === layer.info.width && y1 - y0 === layer.info.height;
  if (inside) return { input: layer.data, raw: rawOf(layer.info), left, top };
  const clipped = await sharp(layer.data, { raw: rawOf(layer.info) })
    .extract({ left: x0 - left, top: y0 - top, width: x1 - x0, height: y1 - y0 })
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { input: clipped.data, raw: rawOf(clipped.info), left: x0, top: y0 };
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
