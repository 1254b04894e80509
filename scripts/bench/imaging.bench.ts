import os from 'node:os';
import sharp from 'sharp';
import {
  getPreparedFrame,
  prepareFrame,
  renderComposite,
  type Slot,
} from '../../src/imaging/compose';
import { generateFrameSvg, layoutFor, type LayoutCount } from '../../src/imaging/frame-art';
import { makeThumbnail } from '../../src/imaging/thumbnail';
import { photoLikeJpeg } from './bench-inputs';

export interface BenchRow {
  workload: string;
  opsPerSecond: number;
  floorOpsPerSecond: number;
  ratio: number;
  target: number;
  note: string;
}

const THUMB_BOX = 400;
const THUMB_OPTIONS = {
  width: THUMB_BOX,
  height: THUMB_BOX,
  fit: 'inside',
  format: 'webp',
} as const;
// makeThumbnail's WebP settings, so the floor encodes exactly what the workload encodes.
const WEBP = { quality: 78, effort: 2, smartSubsample: false } as const;
const JPEG = { quality: 90, mozjpeg: false, chromaSubsampling: '4:2:0' } as const;

/**
 * Runs `op` with `parallel` operations in flight for about `seconds`, returning operations per
 * second. A few warm-up runs first (libvips caches, JIT).
 */
async function throughput(
  op: () => Promise<unknown>,
  seconds: number,
  parallel: number,
): Promise<number> {
  for (let i = 0; i < 2; i++) await op();
  const deadline = performance.now() + seconds * 1000;
  const start = performance.now();
  let done = 0;
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (performance.now() < deadline) {
        await op();
        done += 1;
      }
    }),
  );
  return done / ((performance.now() - start) / 1000);
}

/**
 * Measures several operations in alternating short rounds and keeps each one's median rate, so a
 * burst of load from elsewhere on the machine hits the workload and its floor alike.
 */
export async function interleaved(
  ops: Array<() => Promise<unknown>>,
  seconds: number,
  parallel: number,
  rounds = 5,
): Promise<number[]> {
  const samples: number[][] = ops.map(() => []);
  for (let round = 0; round < rounds; round++) {
    for (const [i, op] of ops.entries())
      samples[i]!.push(await throughput(op, seconds / rounds, parallel));
  }
  return samples.map((rates) => rates.sort((a, b) => a - b)[Math.floor(rates.length / 2)]!);
}

/** Cost of two phases run back to back, from their separate throughputs. */
function combined(...rates: number[]): number {
  return 1 / rates.reduce((sum, rate) => sum + 1 / rate, 0);
}

/** Decoding at the scale the decoder itself can shrink to (JPEG DCT scaling), nothing more. */
function decodeAtScale(input: Buffer, width: number, height: number, fit: 'inside' | 'cover') {
  return sharp(input)
    .resize(width, height, { fit, kernel: 'nearest', fastShrinkOnLoad: true })
    .raw()
    .toBuffer();
}

async function thumbnailRow(
  label: string,
  width: number,
  height: number,
  seconds: number,
  parallel: number,
): Promise<BenchRow> {
  const input = await photoLikeJpeg(width, height, width);
  const sample = await makeThumbnail(input, THUMB_OPTIONS);
  const raw = await sharp(input).resize(sample.width, sample.height).raw().toBuffer();
  const rawInfo = { width: sample.width, height: sample.height, channels: 3 as const };

  const [ops, decode, encode] = await interleaved(
    [
      () => makeThumbnail(input, THUMB_OPTIONS),
      () => decodeAtScale(input, THUMB_BOX, THUMB_BOX, 'inside'),
      () => sharp(raw, { raw: rawInfo }).webp(WEBP).toBuffer(),
    ],
    seconds,
    parallel,
  );
  const fullDecode = await throughput(() => sharp(input).raw().toBuffer(), seconds / 4, parallel);
  const floor = combined(decode, encode);
  return {
    workload: `thumbnail ${label} (${(input.length / 1024 / 1024).toFixed(1)} MB JPEG → ${sample.width}×${sample.height} WebP)`,
    opsPerSecond: ops,
    floorOpsPerSecond: floor,
    ratio: floor / ops,
    target: 1.1,
    note: `full-size decode alone: ${fullDecode.toFixed(1)}/s`,
  };
}

async function compositeRow(
  count: LayoutCount,
  canvas: { width: number; height: number },
  seconds: number,
  parallel: number,
): Promise<BenchRow> {
  const slots: Slot[] = layoutFor(count, canvas);
  const svg = generateFrameSvg({
    ...canvas,
    slots,
    title: 'Kenangan Bersama',
    subtitle: 'KaryaKlik',
    colors: { from: '#ff7eb3', to: '#7a5cff', accent: '#ffd166', text: '#ffffff' },
    style: 'confetti',
  });
  // Captures as the web client sends them: JPEG, 1280 px wide.
  const photos = await Promise.all(slots.map((_, i) => photoLikeJpeg(1280, 720, i + count)));
  const rasterStart = performance.now();
  const frame = await getPreparedFrame(`bench-${count}`, () =>
    prepareFrame(Buffer.from(svg), canvas),
  );
  const rasterMs = performance.now() - rasterStart;
  // The floor encodes the real output picture (a flat canvas would encode unrealistically fast).
  const sampleOutput = await renderComposite({ frame, slots, photos });
  const rawCanvas = await sharp(sampleOutput.jpeg).raw().toBuffer();

  const [ops, decode, encode] = await interleaved(
    [
      async () => {
        const prepared = await getPreparedFrame(`bench-${count}`, () =>
          prepareFrame(Buffer.from(svg), canvas),
        );
        return renderComposite({ frame: prepared, slots, photos });
      },
      () =>
        Promise.all(
          photos.map((photo, i) =>
            decodeAtScale(photo, slots[i]!.width, slots[i]!.height, 'cover'),
          ),
        ),
      () =>
        sharp(rawCanvas, { raw: { ...canvas, channels: 3 } })
          .jpeg(JPEG)
          .toBuffer(),
    ],
    seconds,
    parallel,
  );
  const floor = combined(decode, encode);
  return {
    workload: `composite ${count} slots ${canvas.width}×${canvas.height} (SVG frame, ${count}× 1280×720 JPEG)`,
    opsPerSecond: ops,
    floorOpsPerSecond: floor,
    ratio: floor / ops,
    target: 1.6,
    note: `frame rasterised once in ${rasterMs.toFixed(0)} ms (${frame.width}×${frame.height})`,
  };
}

export async function runImagingBench(
  options: { seconds?: number; parallel?: number } = {},
): Promise<BenchRow[]> {
  const seconds = options.seconds ?? 2;
  const parallel = options.parallel ?? Math.max(1, os.availableParallelism());
  sharp.cache(false);
  const rows: BenchRow[] = [];
  rows.push(await thumbnailRow('720p', 1280, 720, seconds, parallel));
  rows.push(await thumbnailRow('1080p', 1920, 1080, seconds, parallel));
  rows.push(await thumbnailRow('12 MP', 4000, 3000, seconds, parallel));
  rows.push(await compositeRow(4, { width: 1200, height: 1800 }, seconds, parallel));
  rows.push(await compositeRow(9, { width: 1800, height: 1800 }, seconds, parallel));
  return rows;
}
