import sharp from 'sharp';
import { encodeAnimation, playOrder, type AnimatedImageFormat } from '../../src/imaging/animate';
import {
  prepareFrame,
  renderCanvas,
  renderComposite,
  type RawCanvas,
  type Slot,
} from '../../src/imaging/compose';
import { layoutFor, type LayoutCount } from '../../src/imaging/frame-art';
import { findFocusPoint, type FocusPoint } from '../../src/imaging/focus';
import { FRAME_DELAY_MS } from '../../src/modules/animations/render-animation';
import { benchFrameSvg, photoLikeJpeg } from './bench-inputs';
import { interleaved } from './bench-measure';
import type { BenchRow } from './imaging.bench';

export interface AnimationRow {
  workload: string;
  seconds: number;
  bytes: number;
  frames: number;
  width: number;
  height: number;
}

const CANVAS = { width: 1200, height: 1800 } as const;
const MAX_SIDE = 720;
const MAX_BYTES = 3 * 1024 * 1024;

/**
 * One animation as the render-animation job makes it: the frame prepared at ≤ 720 px, each
 * capture composited once into every slot, played in order or forward-then-back, encoded within
 * 3 MiB. Seconds are the median of three runs with the frame already prepared (it is cached
 * across jobs).
 */
async function animationRow(
  count: LayoutCount,
  kind: 'gif' | 'boomerang',
  format: AnimatedImageFormat,
): Promise<AnimationRow> {
  const scale = Math.min(1, MAX_SIDE / Math.max(CANVAS.width, CANVAS.height));
  const size = {
    width: Math.round(CANVAS.width * scale),
    height: Math.round(CANVAS.height * scale),
  };
  const frame = await prepareFrame(benchFrameSvg(count, CANVAS).svg, size);
  const slots: Slot[] = layoutFor(count, CANVAS).map((s) => ({
    ...s,
    x: s.x * scale,
    y: s.y * scale,
    width: s.width * scale,
    height: s.height * scale,
  }));
  const captures = await Promise.all(
    Array.from({ length: count }, (_, i) => photoLikeJpeg(1280, 720, i + 1)),
  );
  const run = async () => {
    const canvases: RawCanvas[] = [];
    for (const photo of captures) {
      canvases.push(await renderCanvas({ frame, slots, photos: slots.map(() => photo) }));
    }
    const frames = playOrder(canvases.length, kind).map((i) => canvases[i]!);
    return encodeAnimation({ frames, delayMs: FRAME_DELAY_MS[kind], format, maxBytes: MAX_BYTES });
  };
  const times: number[] = [];
  let result = await run();
  for (let i = 0; i < 3; i += 1) {
    const start = performance.now();
    result = await run();
    times.push((performance.now() - start) / 1000);
  }
  times.sort((a, b) => a - b);
  return {
    workload: `${kind} ${count} captures → ${format}`,
    seconds: times[1]!,
    bytes: result.data.length,
    frames: result.frames,
    width: result.width,
    height: result.height,
  };
}

export async function runAnimationBench(): Promise<AnimationRow[]> {
  sharp.cache(false);
  const rows: AnimationRow[] = [];
  for (const count of [4, 6] as const) {
    for (const kind of ['boomerang', 'gif'] as const) {
      for (const format of ['webp', 'gif'] as const)
        rows.push(await animationRow(count, kind, format));
    }
  }
  return rows;
}

/**
 * The composite render with focus-point crops against the same render with centre crops, in
 * interleaved rounds; the ratio is centre ops/s over focus ops/s (the focus costs one header read
 * per photo, the decode and resize are the same).
 */
export async function focusCropRow(seconds: number, parallel: number): Promise<BenchRow> {
  const count = 4;
  const slots: Slot[] = layoutFor(count, CANVAS);
  const frame = await prepareFrame(benchFrameSvg(count, CANVAS).svg, CANVAS);
  const photos = await Promise.all(slots.map((_, i) => photoLikeJpeg(1280, 720, i + count)));
  const focus: FocusPoint[] = await Promise.all(photos.map((p) => findFocusPoint(p)));
  // Off-centre focus points as well, so the crop window really moves.
  const moved = focus.map((f, i) => ({ x: i % 2 ? 0.9 : 0.1, y: f.y }));
  const [centre, withFocus] = await interleaved(
    [
      () => renderComposite({ frame, slots, photos }),
      () => renderComposite({ frame, slots, photos, focus: moved }),
    ],
    seconds,
    parallel,
  );
  const focusStart = performance.now();
  for (const photo of photos) await findFocusPoint(photo);
  const focusMs = (performance.now() - focusStart) / photos.length;
  return {
    workload: `composite ${count} slots ${CANVAS.width}×${CANVAS.height}, focus-point crops vs centre crops`,
    opsPerSecond: withFocus!,
    floorOpsPerSecond: centre!,
    ratio: centre! / withFocus!,
    target: 1.05,
    note: `"floor" here = centre-crop ops/s; focus found once per capture at store time: ${focusMs.toFixed(0)} ms`,
  };
}
