import os from 'node:os';
import sharp from 'sharp';
import { getPreparedFrame, prepareFrame, renderComposite } from '../../src/imaging/compose';
import type { LayoutCount } from '../../src/imaging/frame-art';
import { makeThumbnail } from '../../src/imaging/thumbnail';
import { benchFrameSvg, photoLikeJpeg } from './bench-inputs';
import { combined, decodeAtScale, FLOOR_JPEG, interleaved, throughput } from './bench-measure';

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
  const { slots, svg } = benchFrameSvg(count, canvas);
  // Captures as the web client sends them: JPEG, 1280 px wide.
  const photos = await Promise.all(slots.map((_, i) => photoLikeJpeg(1280, 720, i + count)));
  const rasterStart = performance.now();
  const frame = await getPreparedFrame(`bench-${count}`, () => prepareFrame(svg, canvas));
  const rasterMs = performance.now() - rasterStart;
  // The floor encodes the real output picture (a flat canvas would encode unrealistically fast).
  const sampleOutput = await renderComposite({ frame, slots, photos });
  const rawCanvas = await sharp(sampleOutput.jpeg).raw().toBuffer();

  const [ops, decode, encode] = await interleaved(
    [
      async () => {
        const prepared = await getPreparedFrame(`bench-${count}`, () => prepareFrame(svg, canvas));
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
          .jpeg(FLOOR_JPEG)
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
