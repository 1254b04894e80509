import sharp from 'sharp';
import type { Slot } from './compose';
import { DEFAULT_MAX_INPUT_PIXELS, toImagingError } from './imaging-errors';
import { looksLikeSvg, rasterizeSvg, sanitizeSvg } from './svg';

export interface DetectedSlot extends Required<Slot> {
  /** Transparent pixels of the hole (at the frame's own size). */
  area: number;
}

export interface SlotDetection {
  width: number;
  height: number;
  /** Photo holes in reading order (rows top to bottom, then left to right). */
  slots: DetectedSlot[];
  /** Transparent regions too small to be a photo hole (specks, anti-aliasing dust). */
  ignored: number;
  /** The transparency is broken into too many pieces to be holes (noise); no slots are given. */
  fragmented?: boolean;
}

/** Alpha below this is "see-through" (half-covered edge pixels count as frame). */
const TRANSPARENT_BELOW = 128;
/** A hole smaller than this share of the canvas, or thinner than MIN_SIDE, is a speck. */
const MIN_AREA_SHARE = 0.0025;
const MIN_SIDE_SHARE = 0.03;
/** More regions than this means the alpha is noise, not a frame; detection gives up early. */
const MAX_REGIONS = 4096;
const MAX_RUNS = 1_000_000;

/**
 * Finds the photo holes of a frame from its alpha channel: one slot per connected transparent
 * region (4-connected), as its bounding box, ignoring specks. Raster frames are read as they
 * are; an SVG is rasterised at its own size first. A frame without alpha has no holes.
 * Memory is one byte per pixel plus the run table: regions are built from horizontal runs joined
 * with a union-find, never a full label image.
 */
export async function detectSlots(
  frame: Buffer,
  maxPixels = DEFAULT_MAX_INPUT_PIXELS,
): Promise<SlotDetection> {
  let alpha: Buffer;
  let width: number;
  let height: number;
  try {
    let source = frame;
    if (looksLikeSvg(frame)) {
      const svg = sanitizeSvg(frame);
      source = await rasterizeSvg(svg.svg, svg.width, svg.height);
    }
    const image = sharp(source, { limitInputPixels: maxPixels, failOn: 'truncated' }).autoOrient();
    const meta = await sharp(source, { limitInputPixels: maxPixels }).metadata();
    if (!meta.hasAlpha) {
      const swapped = (meta.orientation ?? 1) >= 5;
      const [w, h] = [meta.width ?? 0, meta.height ?? 0];
      return { width: swapped ? h : w, height: swapped ? w : h, slots: [], ignored: 0 };
    }
    const { data, info } = await image
      .ensureAlpha()
      .extractChannel(3)
      .raw()
      .toBuffer({ resolveWithObject: true });
    alpha = data;
    width = info.width;
    height = info.height;
  } catch (error) {
    throw toImagingError(error);
  }
  return findHoles(alpha, width, height);
}

/** The pure part of detectSlots: holes in a one-byte-per-pixel alpha plane. */
export function findHoles(alpha: Uint8Array, width: number, height: number): SlotDetection {
  const runs = transparentRuns(alpha, width, height);
  if (!runs) return { width, height, slots: [], ignored: 0, fragmented: true };
  const regions = new Map<number, Region>();
  for (let i = 0; i < runs.count; i++) {
    const root = runs.find(i);
    const y = runs.row[i]!;
    const start = runs.start[i]!;
    const end = runs.end[i]!;
    let region = regions.get(root);
    if (!region) {
      region = { minX: start, maxX: end - 1, minY: y, maxY: y, area: 0 };
      regions.set(root, region);
    }
    region.minX = Math.min(region.minX, start);
    region.maxX = Math.max(region.maxX, end - 1);
    region.minY = Math.min(region.minY, y);
    region.maxY = Math.max(region.maxY, y);
    region.area += end - start;
  }
  const minArea = width * height * MIN_AREA_SHARE;
  const minSide = Math.max(4, Math.min(width, height) * MIN_SIDE_SHARE);
  const holes: DetectedSlot[] = [];
  let ignored = 0;
  for (const r of regions.values()) {
    const w = r.maxX - r.minX + 1;
    const h = r.maxY - r.minY + 1;
    if (r.area < minArea || w < minSide || h < minSide) {
      ignored += 1;
      continue;
    }
    holes.push({
      x: r.minX,
      y: r.minY,
      width: w,
      height: h,
      rotation: 0,
      borderRadius: cornerRadius(alpha, width, r.minX, r.minY, w, h),
      area: r.area,
    });
  }
  return { width, height, slots: readingOrder(holes), ignored };
}

interface Region {
  minX: number;
  maxX: number;
  minY: number;
  maxY: number;
  area: number;
}

/** Horizontal runs of transparent pixels, each joined to the runs it touches on the row above. */
function transparentRuns(alpha: Uint8Array, width: number, height: number) {
  const row: number[] = [];
  const start: number[] = [];
  const end: number[] = [];
  const parent: number[] = [];
  const find = (i: number): number => {
    let root = i;
    while (parent[root] !== root) root = parent[root]!;
    while (parent[i] !== root) {
      const next = parent[i]!;
      parent[i] = root;
      i = next;
    }
    return root;
  };
  const union = (a: number, b: number) => {
    const ra = find(a);
    const rb = find(b);
    if (ra !== rb) parent[Math.max(ra, rb)] = Math.min(ra, rb);
  };
  let previousFirst = 0;
  let previousCount = 0;
  for (let y = 0; y < height; y++) {
    const first = start.length;
    const offset = y * width;
    let x = 0;
    while (x < width) {
      if (alpha[offset + x]! >= TRANSPARENT_BELOW) {
        x++;
        continue;
      }
      const s = x;
      while (x < width && alpha[offset + x]! < TRANSPARENT_BELOW) x++;
      const id = start.length;
      row.push(y);
      start.push(s);
      end.push(x);
      parent.push(id);
      // Runs of the previous row that overlap [s, x) share a region (4-connectivity).
      for (let p = previousFirst; p < previousFirst + previousCount; p++) {
        if (start[p]! < x && end[p]! > s) union(id, p);
      }
      if (start.length > MAX_RUNS) return null;
    }
    previousFirst = first;
    previousCount = start.length - first;
  }
  const roots = new Set<number>();
  for (let i = 0; i < start.length; i++) {
    roots.add(find(i));
    if (roots.size > MAX_REGIONS) return null;
  }
  return { count: start.length, row, start, end, find };
}

/**
 * Rounded holes: the top-left corner is cut by the arc, so the first see-through pixel on the
 * diagonal lies d pixels in, with d = r(1 − 1/√2).
 */
function cornerRadius(
  alpha: Uint8Array,
  width: number,
  x: number,
  y: number,
  w: number,
  h: number,
): number {
  const limit = Math.floor(Math.min(w, h) / 2);
  let d = 0;
  while (d < limit && alpha[(y + d) * width + (x + d)]! >= TRANSPARENT_BELOW) d++;
  const radius = Math.round(d / (1 - Math.SQRT1_2));
  return radius <= 2 ? 0 : Math.min(radius, limit);
}

/** Rows first: holes whose vertical centres lie within half a hole's height share a row. */
function readingOrder(holes: DetectedSlot[]): DetectedSlot[] {
  const byTop = [...holes].sort((a, b) => a.y + a.height / 2 - (b.y + b.height / 2) || a.x - b.x);
  const rows: DetectedSlot[][] = [];
  for (const hole of byTop) {
    const centre = hole.y + hole.height / 2;
    const row = rows.find((r) => {
      const first = r[0]!;
      return (
        Math.abs(first.y + first.height / 2 - centre) < Math.min(first.height, hole.height) / 2
      );
    });
    if (row) row.push(hole);
    else rows.push([hole]);
  }
  return rows.flatMap((r) => r.sort((a, b) => a.x - b.x));
}

/** Overlap of two boxes as intersection over union (0 … 1). */
export function overlapRatio(a: Slot, b: Slot): number {
  const ix = Math.max(0, Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x));
  const iy = Math.max(0, Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y));
  const inter = ix * iy;
  const union = a.width * a.height + b.width * b.height - inter;
  return union > 0 ? inter / union : 0;
}

/**
 * True when the given slots sit on the detected holes: as many, and each matched one-to-one to a
 * hole it overlaps by at least `minOverlap` (intersection over union).
 */
export function slotsMatchHoles(
  slots: readonly Slot[],
  holes: readonly Slot[],
  minOverlap = 0.85,
): boolean {
  if (slots.length !== holes.length) return false;
  const free = new Set(holes.map((_, i) => i));
  for (const slot of slots) {
    let best = -1;
    let bestRatio = minOverlap;
    for (const i of free) {
      const ratio = overlapRatio(slot, holes[i]!);
      if (ratio >= bestRatio) {
        best = i;
        bestRatio = ratio;
      }
    }
    if (best < 0) return false;
    free.delete(best);
  }
  return true;
}
