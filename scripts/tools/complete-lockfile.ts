/**
 * `npm run lockfile:complete` — after `npm install` on a machine whose registry mirror serves
 * only this platform's native binaries, package-lock.json lacks the other platforms' optional
 * packages and `npm ci` refuses it ("Missing: …@ from lock file"), here and everywhere else.
 * This adds those entries with the version the parent pins and the os/cpu/libc their names
 * encode, so every platform validates and skips what is not its own.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

interface LockEntry {
  version?: string;
  dev?: boolean;
  optional?: boolean;
  license?: string;
  engines?: unknown;
  optionalDependencies?: Record<string, string>;
  [key: string]: unknown;
}

const OSES = [
  'darwin',
  'linux',
  'win32',
  'android',
  'freebsd',
  'openharmony',
  'netbsd',
  'openbsd',
  'sunos',
  'aix',
];
const CPUS = ['x64', 'arm64', 'arm', 'ia32', 'ppc64', 's390x', 'loong64', 'riscv64', 'mips64el'];

export function platformOf(name: string): { os: string[]; cpu: string[]; libc?: string[] } {
  const tail = name.split('/').pop() ?? name;
  const os = OSES.find((candidate) => tail.includes(`-${candidate}-`));
  if (!os) throw new Error(`cannot tell the platform of ${name}`);
  const rest = tail.slice(tail.indexOf(`-${os}-`) + os.length + 2);
  const cpu = CPUS.find((candidate) => rest === candidate || rest.startsWith(`${candidate}-`));
  if (!cpu) throw new Error(`cannot tell the CPU of ${name}`);
  return os === 'linux'
    ? { os: [os], cpu: [cpu], libc: [rest.includes('musl') ? 'musl' : 'glibc'] }
    : { os: [os], cpu: [cpu] };
}

function missingFromLock(root: string): string[] {
  const output = (() => {
    try {
      return execFileSync(
        'npm',
        ['ci', '--dry-run', '--ignore-scripts', '--no-audit', '--no-fund'],
        {
          cwd: root,
          encoding: 'utf8',
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
    } catch (error) {
      // npm ci exits non-zero exactly when the lock is incomplete; its message lists what is missing.
      const failed = error as { stdout?: string; stderr?: string };
      return `${failed.stdout ?? ''}${failed.stderr ?? ''}`;
    }
  })();
  return [...output.matchAll(/Missing: (@?[^@\s]+)@\S* from lock file/g)].map((m) => m[1] ?? '');
}

function main(): void {
  const root = path.resolve(__dirname, '../..');
  const lockPath = path.join(root, 'package-lock.json');
  const missing = missingFromLock(root);
  const lock = JSON.parse(readFileSync(lockPath, 'utf8')) as {
    packages: Record<string, LockEntry>;
  };
  let added = 0;
  for (const name of missing) {
    const parent = Object.values(lock.packages).find((entry) => entry.optionalDependencies?.[name]);
    const version = parent?.optionalDependencies?.[name];
    if (!parent || !version)
      throw new Error(`${name} is missing but no package lists it as optional`);
    lock.packages[`node_modules/${name}`] = {
      version,
      ...(parent.dev ? { dev: true } : {}),
      optional: true,
      ...platformOf(name),
      ...(parent.license ? { license: parent.license } : {}),
    };
    added++;
  }
  const [rootEntry, ...rest] = Object.entries(lock.packages);
  lock.packages = Object.fromEntries([
    ...(rootEntry ? [rootEntry] : []),
    ...rest.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
  ]);
  writeFileSync(lockPath, `${JSON.stringify(lock, null, 2)}\n`);
  console.log(
    added
      ? `added ${added} optional platform entries: ${missing.join(', ')}`
      : 'package-lock.json is complete',
  );
}

main();
