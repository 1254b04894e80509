import sharp from 'sharp';

/** The worker's JPEG settings for composites, so a floor encodes what the workload encodes. */
export const FLOOR_JPEG = { quality: 90, mozjpeg: false, chromaSubsampling: '4:2:0' } as const;

/**
 * Runs `op` with `parallel` operations in flight for about `seconds`, returning operations per
 * second. A few warm-up runs first (libvips caches, JIT).
 */
export async function throughput(
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
export function combined(...rates: number[]): number {
  return 1 / rates.reduce((sum, rate) => sum + 1 / rate, 0);
}

/** Decoding at the scale the decoder itself can shrink to (JPEG DCT scaling), nothing more. */
export function decodeAtScale(
  input: Buffer,
  width: number,
  height: number,
  fit: 'inside' | 'cover',
) {
  return sharp(input)
    .resize(width, height, { fit, kernel: 'nearest', fastShrinkOnLoad: true })
    .raw()
    .toBuffer();
}
