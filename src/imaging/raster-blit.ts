/**
 * Raw RGB compositing for renderComposite. libvips' composite blends every pixel of every layer in
 * floating point, which for a full-canvas frame costs several times the JPEG encode; a frame is
 * almost entirely either opaque or transparent, so copying runs of bytes is far cheaper and only
 * the anti-aliased and translucent pixels need arithmetic.
 */

export interface RgbaFrame {
  width: number;
  height: number;
  /** Straight (not premultiplied) RGBA, row-major. */
  rgba: Buffer;
}

export interface RawLayer {
  data: Buffer;
  width: number;
  height: number;
  channels: 3 | 4;
  left: number;
  top: number;
  /** Rounded corners of a 3-channel layer, drawn while copying (no mask pass over the photo). */
  radius?: number;
}

interface FrameIndex {
  rgb: Buffer;
  /** Triples (start, end, kind) per run; kind 0 transparent, 1 opaque, 2 partial. */
  runs: Int32Array;
  /** rowRuns[y] .. rowRuns[y + 1] index the triples of row y. */
  rowRuns: Int32Array;
}

const TRANSPARENT = 0;
const OPAQUE = 1;
const PARTIAL = 2;

const indexes = new WeakMap<RgbaFrame, FrameIndex>();

/** Run-length index of a frame's alpha; computed once per prepared frame and kept beside it. */
function indexOf(frame: RgbaFrame): FrameIndex {
  const cached = indexes.get(frame);
  if (cached) return cached;
  const { width, height, rgba } = frame;
  const rgb = Buffer.allocUnsafe(width * height * 3);
  const runs: number[] = [];
  const rowRuns = new Int32Array(height + 1);
  for (let y = 0; y < height; y++) {
    rowRuns[y] = runs.length / 3;
    let start = 0;
    let kind = -1;
    for (let x = 0; x < width; x++) {
      const p = (y * width + x) * 4;
      const q = (y * width + x) * 3;
      rgb[q] = rgba[p]!;
      rgb[q + 1] = rgba[p + 1]!;
      rgb[q + 2] = rgba[p + 2]!;
      const alpha = rgba[p + 3]!;
      const k = alpha === 255 ? OPAQUE : alpha === 0 ? TRANSPARENT : PARTIAL;
      if (k !== kind) {
        if (kind !== -1) runs.push(start, x, kind);
        start = x;
        kind = k;
      }
    }
    runs.push(start, width, kind);
  }
  rowRuns[height] = runs.length / 3;
  const index = { rgb, runs: Int32Array.from(runs), rowRuns };
  indexes.set(frame, index);
  return index;
}

export function fillRgb(target: Buffer, rgb: readonly [number, number, number]): void {
  target.fill(Buffer.from(rgb));
}

/** Draws a layer onto an RGB canvas, clipped to the canvas; 4-channel layers are alpha-blended. */
export function blitLayer(
  target: Buffer,
  canvasWidth: number,
  canvasHeight: number,
  layer: RawLayer,
): void {
  const y0 = Math.max(0, layer.top);
  const y1 = Math.min(canvasHeight, layer.top + layer.height);
  const radius =
    layer.channels === 3 ? Math.min(layer.radius ?? 0, layer.width / 2, layer.height / 2) : 0;
  for (let y = y0; y < y1; y++) {
    const row = y - layer.top;
    // Horizontal inset of the rounded corner on this row (0 outside the corner bands).
    let inset = 0;
    if (radius > 0) {
      const dy =
        row < radius
          ? radius - row - 0.5
          : row >= layer.height - radius
            ? row - (layer.height - radius) + 0.5
            : -1;
      if (dy >= 0) inset = radius - Math.sqrt(Math.max(0, radius * radius - dy * dy));
    }
    const whole = Math.ceil(inset);
    const x0 = Math.max(0, layer.left + whole);
    const x1 = Math.min(canvasWidth, layer.left + layer.width - whole);
    if (x1 <= x0) continue;
    const sourceRow = row * layer.width;
    const targetRow = y * canvasWidth;
    if (layer.channels === 3) {
      layer.data.copy(
        target,
        (targetRow + x0) * 3,
        (sourceRow + x0 - layer.left) * 3,
        (sourceRow + x1 - layer.left) * 3,
      );
      if (whole > inset) {
        // Anti-alias the corner: the pixel the curve passes through gets its coverage.
        const coverage = Math.round((whole - inset) * 255);
        for (const x of [layer.left + whole - 1, layer.left + layer.width - whole]) {
          if (x >= 0 && x < canvasWidth)
            blend(
              target,
              (targetRow + x) * 3,
              layer.data,
              (sourceRow + x - layer.left) * 3,
              coverage,
            );
        }
      }
      continue;
    }
    for (let x = x0; x < x1; x++) {
      const p = (sourceRow + x - layer.left) * 4;
      const alpha = layer.data[p + 3]!;
      if (alpha === 0) continue;
      const q = (targetRow + x) * 3;
      if (alpha === 255) {
        target[q] = layer.data[p]!;
        target[q + 1] = layer.data[p + 1]!;
        target[q + 2] = layer.data[p + 2]!;
      } else {
        blend(target, q, layer.data, p, alpha);
      }
    }
  }
}

/** Lays a canvas-sized frame over everything drawn so far. */
export function overlayFrame(target: Buffer, frame: RgbaFrame): void {
  const { rgb, runs, rowRuns } = indexOf(frame);
  const { width, height, rgba } = frame;
  for (let y = 0; y < height; y++) {
    for (let r = rowRuns[y]!; r < rowRuns[y + 1]!; r++) {
      const start = runs[r * 3]!;
      const end = runs[r * 3 + 1]!;
      const kind = runs[r * 3 + 2]!;
      if (kind === TRANSPARENT) continue;
      const offset = y * width;
      if (kind === OPAQUE) {
        rgb.copy(target, (offset + start) * 3, (offset + start) * 3, (offset + end) * 3);
        continue;
      }
      for (let x = start; x < end; x++) {
        const p = (offset + x) * 4;
        blend(target, (offset + x) * 3, rgba, p, rgba[p + 3]!);
      }
    }
  }
}

function blend(target: Buffer, q: number, source: Buffer, p: number, alpha: number): void {
  const rest = 255 - alpha;
  target[q] = (source[p]! * alpha + target[q]! * rest + 127) / 255;
  target[q + 1] = (source[p + 1]! * alpha + target[q + 1]! * rest + 127) / 255;
  target[q + 2] = (source[p + 2]! * alpha + target[q + 2]! * rest + 127) / 255;
}
