import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import sharp from 'sharp';
import { getPreparedFrame, prepareFrame, renderComposite } from '../../src/imaging/compose';
import type { FileStorage } from '../../src/lib/storage';
import { LocalFileStorage } from '../../src/lib/storage-local';
import { S3FileStorage } from '../../src/lib/storage-s3';
import { startSwift, stopSwift, SWIFT_S3_CREDENTIALS, waitForSwift } from '../local-services/swift';
import { benchFrameSvg, photoLikeJpeg } from './bench-inputs';
import { combined, decodeAtScale, FLOOR_JPEG, interleaved } from './bench-measure';
import type { BenchRow } from './imaging.bench';

const URLS = {
  publicBaseUrl: 'http://bench.test',
  urlSecret: 'bench-secret-that-is-long-enough-000',
  urlTtlSeconds: 3600,
};

/**
 * The worker's render path through a storage driver: read the four captures, the frame (cached
 * after its first load, as in the worker) and write the composite back. Its
 * floor is the same decode + encode floor as the in-memory composite row.
 */
async function storageCompositeRow(
  driver: string,
  storage: FileStorage,
  seconds: number,
  parallel: number,
): Promise<BenchRow> {
  const canvas = { width: 1200, height: 1800 };
  const { slots, svg } = benchFrameSvg(4, canvas);
  const frameKey = (await storage.save('templates', 'svg', svg)).key;
  const photoKeys = await Promise.all(
    slots.map(
      async (_, i) =>
        (await storage.save('captures', 'jpg', await photoLikeJpeg(1280, 720, i + 4))).key,
    ),
  );
  const photos = await Promise.all(photoKeys.map((key) => storage.read(key)));
  const frame = await prepareFrame(svg, canvas);
  const sampleOutput = await renderComposite({ frame, slots, photos });
  const rawCanvas = await sharp(sampleOutput.jpeg).raw().toBuffer();
  let n = 0;

  const render = async () => {
    const [prepared, inputs] = await Promise.all([
      getPreparedFrame(`bench-storage-${driver}`, async () =>
        prepareFrame(await storage.read(frameKey), canvas),
      ),
      Promise.all(photoKeys.map((key) => storage.read(key))),
    ]);
    const rendered = await renderComposite({ frame: prepared, slots, photos: inputs });
    await storage.saveAt(
      storage.derivedKey('composites', String((n += 1) % 16), 'jpg'),
      rendered.jpeg,
    );
  };
  const decode = () =>
    Promise.all(
      photos.map((photo, i) => decodeAtScale(photo, slots[i]!.width, slots[i]!.height, 'cover')),
    );
  const encode = () =>
    sharp(rawCanvas, { raw: { ...canvas, channels: 3 } })
      .jpeg(FLOOR_JPEG)
      .toBuffer();
  const [ops, dec, enc] = await interleaved([render, decode, encode], seconds, parallel);
  const floor = combined(dec!, enc!);
  return {
    workload: `composite 4 slots 1200×1800 via ${driver} storage (read 4 captures + frame, write the JPEG)`,
    opsPerSecond: ops!,
    floorOpsPerSecond: floor,
    ratio: floor / ops!,
    // The in-memory composite row's target: on local disk storage must not add to it. The S3
    // one also pays the object store's CPU (Swift runs on the same cores in this bench).
    target: driver === 'local' ? 1.6 : 3,
    note: '',
  };
}

/** The render path on the local driver and on S3 (BENCH_S3_ENDPOINT, else a private Swift). */
export async function runStorageBench(
  options: {
    seconds?: number;
    parallel?: number;
    log?: (line: string) => void;
    /** Each row as soon as it is measured. */
    onRow?: (row: BenchRow) => void;
  } = {},
): Promise<BenchRow[]> {
  const seconds = options.seconds ?? 2;
  const parallel = options.parallel ?? Math.max(1, os.availableParallelism());
  const log = options.log ?? (() => undefined);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kk-bench-storage-'));
  const rows: BenchRow[] = [];
  let swiftPids: number[] = [];
  try {
    const local = new LocalFileStorage({ ...URLS, root: path.join(dir, 'uploads') });
    rows.push(await storageCompositeRow('local', local, seconds, parallel));
    options.onRow?.(rows[0]!);

    let s3 = process.env.BENCH_S3_ENDPOINT
      ? {
          endpoint: process.env.BENCH_S3_ENDPOINT,
          region: process.env.BENCH_S3_REGION ?? 'us-east-1',
          accessKeyId: process.env.BENCH_S3_ACCESS_KEY_ID ?? '',
          secretAccessKey: process.env.BENCH_S3_SECRET_ACCESS_KEY ?? '',
        }
      : undefined;
    if (!s3) {
      log('starting a private OpenStack Swift (s3api) for the S3 row…');
      const swift = await startSwift(path.join(dir, 'swift'));
      swiftPids = swift.pids;
      await waitForSwift(swift.endpoint, 240_000);
      s3 = { endpoint: swift.endpoint, ...SWIFT_S3_CREDENTIALS };
    }
    const bucket = `kk-bench-${Date.now()}`;
    const storage = new S3FileStorage({ ...URLS, ...s3, bucket, forcePathStyle: true });
    for (let attempt = 0; ; attempt++) {
      try {
        await storage.client.send(new CreateBucketCommand({ Bucket: bucket }));
        break;
      } catch (error) {
        if (attempt > 200) throw error;
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    }
    rows.push(await storageCompositeRow('S3', storage, seconds, parallel));
    options.onRow?.(rows[1]!);
    storage.close();
  } finally {
    if (swiftPids.length > 0) await stopSwift(swiftPids);
    rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}
