import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import {
  startSwift,
  SWIFT_S3_CREDENTIALS,
  waitForSwift,
  type StartedSwift,
} from '../../scripts/local-services/swift';

export interface TestS3 {
  endpoint: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
}

/** Swift can take a while to come up on a busy machine; CI runs alone and is much faster. */
const READY_TIMEOUT_MS = 240_000;

/**
 * The S3 server of this test run: TEST_S3_ENDPOINT (with TEST_S3_ACCESS_KEY_ID,
 * TEST_S3_SECRET_ACCESS_KEY, TEST_S3_REGION) if set, otherwise one OpenStack Swift that the first
 * test file needing it starts (the others wait for it) and the global teardown stops. Runs that
 * never touch S3 never start it.
 */
export async function testS3(): Promise<TestS3> {
  const configured = process.env.TEST_S3_ENDPOINT;
  if (configured) {
    return {
      endpoint: configured,
      region: process.env.TEST_S3_REGION ?? 'us-east-1',
      accessKeyId: process.env.TEST_S3_ACCESS_KEY_ID ?? '',
      secretAccessKey: process.env.TEST_S3_SECRET_ACCESS_KEY ?? '',
    };
  }
  const stateDir = process.env.KK_TEST_STATE_DIR;
  if (!stateDir) throw new Error('KK_TEST_STATE_DIR is not set: run tests through jest.');
  const dir = path.join(stateDir, 'swift');
  const stateFile = path.join(dir, 'started.json');
  let started: StartedSwift;
  if (tryLock(dir)) {
    started = await startSwift(dir).catch((error: unknown) => {
      writeFileSync(stateFile, JSON.stringify({ error: String(error) }));
      throw error;
    });
    writeFileSync(stateFile, JSON.stringify(started));
  } else {
    started = await waitForState(stateFile);
  }
  await waitForSwift(started.endpoint, READY_TIMEOUT_MS).catch((error: unknown) => {
    const log = existsSync(started.logFile) ? readFileSync(started.logFile, 'utf8') : '';
    throw new Error(`S3 (Swift) did not start: ${String(error)}\n${log.slice(-3000)}`);
  });
  return { endpoint: started.endpoint, ...SWIFT_S3_CREDENTIALS };
}

export function s3Client(s3: TestS3): S3Client {
  return new S3Client({
    endpoint: s3.endpoint,
    region: s3.region,
    forcePathStyle: true,
    credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}

/**
 * A new, empty bucket for one test file, and the environment that points the app at it. The
 * proxy answers its health check before its backends do, so creating the bucket is retried.
 */
export async function testBucketEnv(label: string): Promise<Record<string, string>> {
  const s3 = await testS3();
  const bucket =
    `kk-${label.toLowerCase().replace(/[^a-z0-9-]/g, '-')}-${randomBytes(4).toString('hex')}`.slice(
      0,
      63,
    );
  const client = s3Client(s3);
  const deadline = Date.now() + READY_TIMEOUT_MS;
  try {
    for (;;) {
      try {
        await client.send(new CreateBucketCommand({ Bucket: bucket }));
        break;
      } catch (error) {
        if (Date.now() > deadline) throw error;
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    }
  } finally {
    client.destroy();
  }
  return {
    STORAGE_DRIVER: 's3',
    S3_ENDPOINT: s3.endpoint,
    S3_REGION: s3.region,
    S3_BUCKET: bucket,
    S3_ACCESS_KEY_ID: s3.accessKeyId,
    S3_SECRET_ACCESS_KEY: s3.secretAccessKey,
    S3_FORCE_PATH_STYLE: 'true',
  };
}

function tryLock(dir: string): boolean {
  try {
    mkdirSync(dir);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

async function waitForState(file: string): Promise<StartedSwift> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    if (existsSync(file)) {
      const state = JSON.parse(readFileSync(file, 'utf8')) as StartedSwift | { error: string };
      if ('error' in state) throw new Error(`S3 (Swift) could not start: ${state.error}`);
      return state;
    }
    if (Date.now() > deadline) throw new Error('S3 (Swift) was never started');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
