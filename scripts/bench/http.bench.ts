/**
 * `npm run bench:http`: the API's HTTP path against a bare Express app, in one run on this
 * machine. Starts embedded MongoDB and Redis (or uses MONGODB_URI/REDIS_URL), seeds the starter
 * templates, a user and their notifications, then runs the real API process (src/server.ts,
 * NODE_ENV=production, LOG_LEVEL=info) and a bare Express 5 app with one JSON route, each in a
 * process of its own, and drives them with autocannon (a third process). Prints req/s, p50 and
 * p99 latency and each path's ratio to bare Express; the 404 path's target is ≥ 0.6×.
 *
 * Each path is measured in BENCH_ROUNDS (5) runs of BENCH_SECONDS (2), each right after a run of
 * the bare app; the CPU ratio is the median over the rounds of each pair's ratio.
 * BENCH_CONNECTIONS (10) connections. BENCH_PATHS=404,notifications measures only the paths whose
 * label contains one of the words; BENCH_CPU_PROF=<dir> runs the API with `--cpu-prof` into that
 * directory (read it with `tsx scripts/bench/cpuprofile-top.ts <file>`).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import mongoose from 'mongoose';
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/lib/logger';
import { NotificationModel } from '../../src/models';
import { applyMongooseDefaults } from '../../src/models/mongoose-defaults';
import { createStorage } from '../../src/runtime';
import { freePort } from '../local-services/redis';
import { provideMongo } from '../local-services/mongo';
import { provideRedis } from '../local-services/redis';
import { stopProcess } from '../local-services/processes';
import { seedDatabase } from '../seed/seed-database';
import { createBenchUser } from './bench-user';

const ROOT = path.resolve(__dirname, '..', '..');
const SECONDS = Number(process.env.BENCH_SECONDS ?? 2);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
const NOT_FOUND_TARGET = 0.6;

interface Run {
  requests: number;
  /** Server CPU time (all its threads) per request served, in µs. */
  cpuPerRequestUs: number;
  p50: number;
  p99: number;
  statuses: Record<string, number>;
}

interface Row {
  label: string;
  api: Run[];
  bare: Run[];
}

interface AutocannonJson {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number };
  '1xx': number;
  '2xx': number;
  '3xx': number;
  '4xx': number;
  '5xx': number;
  errors: number;
  timeouts: number;
}

const log = (message: string) => process.stdout.write(`${message}\n`);

function startProcess(
  script: string,
  env: NodeJS.ProcessEnv,
  nodeFlags: string[] = [],
): ChildProcess {
  // tsx as a loader in the same process, so the child's pid is the server's own.
  const child = spawn(process.execPath, [...nodeFlags, '--import', 'tsx', script], {
    cwd: ROOT,
    env,
    // The API logs every request at info, as in production; the lines go nowhere here.
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return child;
}

async function waitFor(url: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      http
        .get(url, (res) => {
          res.resume();
          resolve(res.statusCode !== undefined && res.statusCode < 500);
        })
        .on('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`${url} did not answer within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** One autocannon run in its own process (JSON out), so the load generator never shares a loop. */
function autocannon(
  url: string,
  headers: Record<string, string>,
  seconds: number,
): Promise<AutocannonJson> {
  const args = [
    require.resolve('autocannon/autocannon.js'),
    '-j',
    '-n',
    '-c',
    String(CONNECTIONS),
    '-d',
    String(seconds),
    ...Object.entries(headers).flatMap(([k, v]) => ['-H', `${k}=${v}`]),
    url,
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code !== 0) return reject(new Error(`autocannon exited with ${code}`));
      try {
        resolve(JSON.parse(out) as AutocannonJson);
      } catch (error) {
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
  });
}

/** CPU time (user + system, every thread) a process has used so far, in ms; Linux /proc. */
function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime and stime are fields 14 and 15 of the line, in clock ticks (100 per second).
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

async function run(
  server: ChildProcess,
  url: string,
  headers: Record<string, string> = {},
): Promise<Run> {
  const cpuBefore = cpuMs(server.pid!);
  const r = await autocannon(url, headers, SECONDS);
  const cpu = cpuMs(server.pid!) - cpuBefore;
  const statuses: Record<string, number> = {};
  for (const k of ['1xx', '2xx', '3xx', '4xx', '5xx', 'errors'] as const)
    if (r[k] > 0) statuses[k] = r[k];
  return {
    requests: r.requests.average,
    cpuPerRequestUs: (cpu * 1000) / Math.max(1, r.requests.total),
    p50: r.latency.p50,
    p99: r.latency.p99,
    statuses,
  };
}

/**
 * The machine is shared, so its speed drifts: each path is measured in ROUNDS short runs, each
 * right after a run of the bare app, and compared with those bare runs only.
 */
interface Target {
  server: ChildProcess;
  base: string;
}

async function measure(
  label: string,
  api: Target,
  apiPath: string,
  bare: Target,
  headers: Record<string, string> = {},
): Promise<Row> {
  // A short warm-up (JIT, connection pools, caches) that is not counted.
  await autocannon(`${api.base}${apiPath}`, headers, 2);
  const row: Row = { label, api: [], bare: [] };
  for (let round = 0; round < ROUNDS; round += 1) {
    row.bare.push(await run(bare.server, `${bare.base}/json`));
    row.api.push(await run(api.server, `${api.base}${apiPath}`, headers));
  }
  return row;
}

const sum = (runs: Run[], pick: (r: Run) => number) => runs.reduce((t, r) => t + pick(r), 0);
const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

function summary(runs: Run[]) {
  const statuses: Record<string, number> = {};
  for (const r of runs)
    for (const [k, v] of Object.entries(r.statuses)) statuses[k] = (statuses[k] ?? 0) + v;
  return {
    rate: sum(runs, (r) => r.requests) / runs.length,
    p50: median(runs.map((r) => r.p50)),
    p99: median(runs.map((r) => r.p99)),
    cpuUs: median(runs.map((r) => r.cpuPerRequestUs)),
    statuses: Object.entries(statuses)
      .map(([k, v]) => `${k}:${v}`)
      .join(' '),
  };
}

async function main(): Promise<void> {
  log(
    `HTTP bench: ${os.cpus()[0]?.model ?? 'cpu'} × ${os.cpus().length}, node ${process.version}, ` +
      `${CONNECTIONS} connections, ${ROUNDS} × ${SECONDS} s per path, alternating with the bare app`,
  );
  const mongo = await provideMongo({ configuredUri: process.env.MONGODB_URI, log });
  const redis = await provideRedis({ configuredUrl: process.env.REDIS_URL, log });
  const uploadsDir = mkdtempSync(path.join(os.tmpdir(), 'kk-bench-http-'));
  const children: ChildProcess[] = [];
  try {
    const apiPort = await freePort();
    const barePort = await freePort();
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      PORT: String(apiPort),
      PUBLIC_BASE_URL: `http://127.0.0.1:${apiPort}`,
      FRONTEND_URL: 'http://localhost:8080',
      MONGODB_URI: mongo.uri.replace(/\/(\?|$)/, '/karyaklik_bench$1'),
      REDIS_URL: redis.url,
      QUEUE_PREFIX: `kkbench:${process.pid}`,
      JWT_SECRET: 'bench-jwt-secret-0123456789abcdef0123456789',
      FILE_URL_SECRET: 'bench-file-secret-0123456789abcdef012345678',
      UPLOADS_DIR: uploadsDir,
      LOG_LEVEL: 'info',
    };
    const config = loadConfig(env);

    // Seed: the starter templates, and a user with 30 notifications for the authenticated path.
    applyMongooseDefaults();
    await mongoose.connect(config.mongodbUri, { serverSelectionTimeoutMS: 10_000 });
    await Promise.all(Object.values(mongoose.connection.models).map((model) => model.init()));
    await seedDatabase({ config, storage: createStorage(config), logger: createLogger('warn') });
    const user = await createBenchUser(config, 'bench@karyaklik.test');
    await NotificationModel.insertMany(
      Array.from({ length: 30 }, (_, i) => ({
        userId: user.userId,
        title: `Notification ${i}`,
        message: 'Your composite is ready',
        type: 'system',
      })),
    );
    await mongoose.disconnect();

    const profileDir = process.env.BENCH_CPU_PROF;
    const api: Target = {
      server: startProcess(
        'src/server.ts',
        env,
        profileDir ? ['--cpu-prof', '--cpu-prof-dir', path.resolve(profileDir)] : [],
      ),
      base: `http://127.0.0.1:${apiPort}`,
    };
    const bare: Target = {
      server: startProcess('scripts/bench/bare-express.ts', { ...env, PORT: String(barePort) }),
      base: `http://127.0.0.1:${barePort}`,
    };
    children.push(api.server, bare.server);
    await Promise.all([waitFor(`${api.base}/api/health`), waitFor(`${bare.base}/json`)]);

    await autocannon(`${bare.base}/json`, {}, 2);
    const paths: Array<[string, string, Record<string, string>?]> = [
      ['404 GET /api/no-such-route', '/api/no-such-route'],
      ['GET /api/health', '/api/health'],
      ['GET /api/templates?limit=12', '/api/templates?limit=12'],
      ['GET /api/notifications (auth)', '/api/notifications', { Authorization: user.auth }],
    ];
    const only = (process.env.BENCH_PATHS ?? '').split(',').filter(Boolean);
    const rows: Row[] = [];
    for (const [label, apiPath, headers] of paths) {
      if (only.length > 0 && !only.some((word) => label.includes(word))) continue;
      rows.push(await measure(label, api, apiPath, bare, headers));
    }

    const width = Math.max(...rows.map((r) => r.label.length), 26);
    const cols = (...values: string[]) => values.map((v) => v.padStart(8)).join('  ');
    log('');
    log(
      `${'path'.padEnd(width)}  ${cols('req/s', 'p50 ms', 'p99 ms', 'CPU µs', 'bare r/s', 'bare µs', 'ratio r/s', 'ratio CPU')}  statuses`,
    );
    let notFoundRatio = 0;
    for (const row of rows) {
      const a = summary(row.api);
      const b = summary(row.bare);
      // Each API run against the bare run just before it, then the median over the rounds.
      const cpuRatio = median(
        row.api.map((run, i) => row.bare[i]!.cpuPerRequestUs / run.cpuPerRequestUs),
      );
      if (row.label.startsWith('404')) notFoundRatio = cpuRatio;
      log(
        `${row.label.padEnd(width)}  ${cols(a.rate.toFixed(0), String(a.p50), String(a.p99), a.cpuUs.toFixed(0), b.rate.toFixed(0), b.cpuUs.toFixed(0), (a.rate / b.rate).toFixed(2), cpuRatio.toFixed(2))}  ${a.statuses}`,
      );
    }
    const allBare = summary(rows.flatMap((r) => r.bare));
    log(
      `${'bare Express GET /json'.padEnd(width)}  ${cols(allBare.rate.toFixed(0), String(allBare.p50), String(allBare.p99), allBare.cpuUs.toFixed(0))}  (all ${rows.length * ROUNDS} bare runs)`,
    );
    log('');
    log(
      'ratio r/s: req/s against the bare runs beside it. ratio CPU: bare CPU per request / API CPU per\n' +
        'request (median over the rounds of each API run against the bare run just before it), i.e.\n' +
        'the req/s ratio both would reach on a core of their own; on a shared, loaded\n' +
        'machine the load generator starves too and the req/s ratio drifts towards 1, so the verdict\n' +
        'uses the CPU ratio.',
    );
    if (rows.some((row) => row.label.startsWith('404'))) {
      log(
        `404 path: ${notFoundRatio.toFixed(2)}× bare Express by CPU per request (target ≥ ${NOT_FOUND_TARGET}×) ${notFoundRatio >= NOT_FOUND_TARGET ? 'ok' : 'BELOW'}`,
      );
      if (notFoundRatio < NOT_FOUND_TARGET) process.exitCode = 1;
    }
  } finally {
    await Promise.all(children.map((child) => stopProcess(child)));
    await Promise.allSettled([mongo.stop(), redis.stop()]);
    rmSync(uploadsDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
