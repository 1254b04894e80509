import { spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { focusCropRow, runAnimationBench } from './animation.bench';
import {
  benchCaptureUpload,
  benchRenderPush,
  printLatency,
  startBenchServices,
  type LatencyRow,
} from './booth.bench';
import { runImagingBench, type BenchRow } from './imaging.bench';
import { runStorageBench } from './storage.bench';

/** `npm run bench`: imaging throughput against its decode+encode floor, then the mongo stand-in. */
async function main(): Promise<void> {
  const parallel = Math.max(1, os.availableParallelism());
  console.log(
    `Imaging bench: ${os.cpus()[0]?.model ?? 'cpu'} × ${os.cpus().length}, libvips ${sharp.versions.vips}, ` +
      `${parallel} operation(s) in flight, libvips threads per operation ${sharp.concurrency()}`,
  );
  console.log(
    "floor = decoding the inputs (at the decoder's own shrink scale) + encoding the output, measured now\n",
  );
  const started = performance.now();
  const storageOnly = process.argv.includes('--storage-only');
  const rows = storageOnly ? [] : await runImagingBench({ seconds: 2, parallel });
  if (!storageOnly) rows.push(await focusCropRow(2, parallel));
  if (rows.length > 0) printTable(rows);
  console.log(`\nimaging bench took ${((performance.now() - started) / 1000).toFixed(0)} s`);

  console.log('\nAnimations (1200×1800 SVG frame, 1280×720 JPEG captures, ≤ 720 px, ≤ 3 MiB):');
  for (const row of await runAnimationBench()) {
    console.log(
      `${row.workload.padEnd(34)}  ${row.seconds.toFixed(2).padStart(6)} s  ${(row.bytes / 1024).toFixed(0).padStart(6)} KiB  ${row.frames} frames ${row.width}×${row.height}`,
    );
  }

  let latency: LatencyRow[] = [];
  if (!process.argv.includes('--imaging-only')) {
    // The worker's render path through each storage driver (the S3 one on a private Swift
    // unless BENCH_S3_ENDPOINT is set).
    console.log('\nComposite render through storage (same floor as above):');
    await runStorageBench({
      seconds: 2,
      parallel,
      log: console.log,
      onRow: (row) => {
        printTable([row]);
        rows.push(row);
      },
    }).catch((error: unknown) => {
      console.log(`(storage bench did not finish: ${String(error)})`);
      process.exitCode = 1;
    });
  }

  if (!process.argv.includes('--imaging-only') && !process.argv.includes('--storage-only')) {
    console.log(
      '\nHTTP bench (embedded services; API in this process; sequential requests, kept-alive):',
    );
    const services = await startBenchServices();
    try {
      latency = [
        await benchCaptureUpload(services, { requests: 200, warmup: 20 }),
        await benchRenderPush(services, { renders: 20, warmup: 2 }),
      ];
    } finally {
      await services.close();
    }
    printLatency(latency);

    console.log('\nMongo stand-in bench:');
    // The stand-in is its own workspace package; its bench is its own `npm run bench`.
    const npmCli = process.env.npm_execpath;
    const npmArgs = ['run', '--silent', 'bench', '--workspace', '@karyaklik/mongo-standin'];
    const options = {
      cwd: path.resolve(__dirname, '..', '..'),
      stdio: 'inherit',
      timeout: 60_000,
    } as const;
    const result = npmCli
      ? spawnSync(process.execPath, [npmCli, ...npmArgs], options)
      : spawnSync('npm', npmArgs, options);
    if (result.status !== 0)
      console.log(
        `(mongo stand-in bench did not finish: ${result.error?.message ?? `exit ${result.status}`})`,
      );
  }
  const missed = rows.filter((row) => row.ratio > row.target);
  const slow = latency.filter((row) => row.target !== undefined && row.p50 > row.target);
  if (missed.length + slow.length > 0) {
    console.log(`\n${missed.length + slow.length} workload(s) above their target`);
    process.exitCode = 1;
  }
}

function printTable(rows: BenchRow[]): void {
  const width = Math.max(...rows.map((r) => r.workload.length));
  console.log(
    `${'workload'.padEnd(width)}  ${'ops/s'.padStart(8)}  ${'floor/s'.padStart(8)}  ratio  target`,
  );
  for (const row of rows) {
    const verdict = row.ratio <= row.target ? 'ok' : 'ABOVE';
    console.log(
      `${row.workload.padEnd(width)}  ${row.opsPerSecond.toFixed(1).padStart(8)}  ${row.floorOpsPerSecond.toFixed(1).padStart(8)}  ${row.ratio.toFixed(2).padStart(5)}  ≤${row.target} ${verdict}   ${row.note}`,
    );
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
