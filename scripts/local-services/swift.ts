import { spawn, spawnSync } from 'node:child_process';
import { closeSync, mkdirSync, openSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { freePort } from './redis';

/** The account the test Swift is configured with (tempauth), as S3 credentials. */
export const SWIFT_S3_CREDENTIALS = {
  region: 'us-east-1',
  accessKeyId: 'test:tester',
  secretAccessKey: 'testing',
} as const;

export interface StartedSwift {
  endpoint: string;
  /** Process ids of the four servers (each leads its own process group). */
  pids: number[];
  logFile: string;
}

const KINDS = ['account', 'container', 'object'] as const;
const SWIFT_BINARIES = [
  'swift-ring-builder',
  'swift-proxy-server',
  ...KINDS.map((k) => `swift-${k}-server`),
];

/**
 * Starts a private single-node OpenStack Swift with its s3api middleware (Debian: `apt-get
 * install --no-install-recommends swift-proxy swift-account swift-container swift-object`) on
 * free ports, with its rings, configs, data and log under `dir`. Returns once the servers are
 * spawned, before they answer: see waitForSwift. The servers are detached (they outlive the
 * process that started them) and must be stopped with stopSwift.
 */
export async function startSwift(dir: string): Promise<StartedSwift> {
  const missing = SWIFT_BINARIES.filter((name) => !onPath(name));
  if (missing.length > 0) {
    throw new Error(
      `S3: TEST_S3_ENDPOINT is not set and OpenStack Swift is not installed (missing ${missing.join(', ')}). ` +
        'Install it (Debian/Ubuntu: `sudo apt-get install --no-install-recommends swift-proxy ' +
        'swift-account swift-container swift-object`) or point TEST_S3_ENDPOINT at an S3 server.',
    );
  }
  mkdirSync(dir, { recursive: true });
  const [proxyPort, accountPort, containerPort, objectPort] = await distinctFreePorts(4);
  const ports = { account: accountPort!, container: containerPort!, object: objectPort! };
  writeConfigs(dir, proxyPort!, ports);
  await Promise.all(KINDS.map((kind) => buildRing(dir, kind, ports[kind])));
  const logFile = path.join(dir, 'swift.log');
  const log = openSync(logFile, 'a');
  const servers: Array<[string, string]> = [
    ['swift-proxy-server', 'proxy-server.conf'],
    ...KINDS.map((kind): [string, string] => [`swift-${kind}-server`, `${kind}-server.conf`]),
  ];
  const pids: number[] = [];
  try {
    for (const [binary, conf] of servers) {
      const child = spawn(binary, [path.join(dir, 'conf', conf), '-v'], {
        stdio: ['ignore', log, log],
        detached: true,
      });
      child.unref();
      if (child.pid) pids.push(child.pid);
    }
  } finally {
    closeSync(log);
  }
  return { endpoint: `http://127.0.0.1:${proxyPort}`, pids, logFile };
}

/** Waits until the proxy answers its health check (~15 s on a busy 2-core machine, or more). */
export async function waitForSwift(endpoint: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await fetch(`${endpoint}/healthcheck`, { signal: AbortSignal.timeout(2000) })
      .then((res) => res.ok)
      .catch(() => false);
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`no answer from ${endpoint} in ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Stops servers started by startSwift: SIGTERM to each group, SIGKILL after 5 s. */
export async function stopSwift(pids: readonly number[]): Promise<void> {
  const alive = (pid: number) => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  const signal = (pid: number, sig: NodeJS.Signals) => {
    try {
      process.kill(-pid, sig);
    } catch {
      // already gone
    }
  };
  for (const pid of pids) signal(pid, 'SIGTERM');
  const deadline = Date.now() + 5000;
  while (pids.some(alive) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  for (const pid of pids.filter(alive)) signal(pid, 'SIGKILL');
}

function writeConfigs(dir: string, proxyPort: number, ports: Record<string, number>): void {
  const conf = path.join(dir, 'conf');
  const devices = path.join(dir, 'node');
  mkdirSync(path.join(devices, 'd1'), { recursive: true });
  mkdirSync(conf, { recursive: true });
  const common = (port: number) =>
    [
      '[DEFAULT]',
      `bind_ip = 127.0.0.1`,
      `bind_port = ${port}`,
      'workers = 0',
      'mount_check = false',
      `swift_dir = ${conf}`,
      `devices = ${devices}`,
      'log_level = WARNING',
      '',
    ].join('\n');
  for (const kind of KINDS) {
    writeFileSync(
      path.join(conf, `${kind}-server.conf`),
      [
        common(ports[kind]!),
        '[pipeline:main]',
        `pipeline = ${kind}-server`,
        '',
        `[app:${kind}-server]`,
        `use = egg:swift#${kind}`,
        '',
      ].join('\n'),
    );
  }
  const filters = [
    'catch_errors',
    'gatekeeper',
    'healthcheck',
    'proxy-logging',
    'listing_formats',
    'bulk',
    'copy',
    'slo',
    'dlo',
  ];
  writeFileSync(
    path.join(conf, 'proxy-server.conf'),
    [
      common(proxyPort),
      '[pipeline:main]',
      'pipeline = catch_errors gatekeeper healthcheck proxy-logging cache listing_formats bulk s3api tempauth copy slo dlo proxy-logging proxy-server',
      '',
      '[app:proxy-server]',
      'use = egg:swift#proxy',
      'account_autocreate = true',
      'allow_account_management = true',
      '',
      '[filter:tempauth]',
      'use = egg:swift#tempauth',
      'user_test_tester = testing .admin',
      '',
      '[filter:s3api]',
      'use = egg:swift#s3api',
      'location = us-east-1',
      '',
      // Without memcached the cache filter only logs that it cannot connect.
      '[filter:cache]',
      'use = egg:swift#memcache',
      'memcache_servers = 127.0.0.1:11211',
      '',
      ...filters.flatMap((name) => [
        `[filter:${name}]`,
        `use = egg:swift#${name.replace('-', '_')}`,
        '',
      ]),
    ].join('\n'),
  );
}

async function buildRing(dir: string, kind: string, port: number): Promise<void> {
  const builder = path.join(dir, 'conf', `${kind}.builder`);
  await run('swift-ring-builder', [builder, 'create', '8', '1', '1']);
  await run('swift-ring-builder', [builder, 'add', `r1z1-127.0.0.1:${port}/d1`, '100']);
  await run('swift-ring-builder', [builder, 'rebalance']);
}

function run(binary: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) =>
      // swift-ring-builder exits 1 for warnings (e.g. one replica); 2 is an error.
      code === 0 || code === 1
        ? resolve()
        : reject(new Error(`${binary} ${args.join(' ')} exited ${code}: ${output}`)),
    );
  });
}

async function distinctFreePorts(count: number): Promise<number[]> {
  const ports = new Set<number>();
  while (ports.size < count) ports.add(await freePort());
  return [...ports];
}

function onPath(binary: string): boolean {
  const found = spawnSync('sh', ['-c', `command -v ${binary}`], { encoding: 'utf8' });
  return found.status === 0 && found.stdout.trim() !== '';
}
