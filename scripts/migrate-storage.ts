/**
 * `npm run migrate:storage`: copies every file under UPLOADS_DIR into the configured bucket
 * (STORAGE_DRIVER=s3 and the S3_* keys) and rewrites stored URLs that change with it. Resumable
 * and safe to run twice: copied files are skipped, rewritten URLs are left alone.
 */
import mongoose from 'mongoose';
import { loadConfig } from '../src/config';
import { createLogger } from '../src/lib/logger';
import { connectMongo } from '../src/lib/mongo';
import { LocalFileStorage } from '../src/lib/storage-local';
import { applyMongooseDefaults } from '../src/models/mongoose-defaults';
import { migrateStorage } from '../src/modules/files/storage-migration';
import { createStorage } from '../src/runtime';

async function main(): Promise<void> {
  const config = loadConfig();
  if (config.storage.driver !== 's3') {
    throw new Error('Set STORAGE_DRIVER=s3 and the S3_* keys: files are copied into that bucket.');
  }
  const logger = createLogger(config.logLevel, { process: 'migrate-storage' });
  applyMongooseDefaults();
  await connectMongo(config.mongodbUri);
  const source = new LocalFileStorage({
    root: config.files.uploadsDir,
    publicBaseUrl: config.publicBaseUrl,
    urlSecret: config.files.urlSecret,
    urlTtlSeconds: config.files.urlTtlSeconds,
  });
  const target = createStorage(config);
  try {
    let progress = 0;
    const report = await migrateStorage({
      source,
      target,
      publicBaseUrl: config.publicBaseUrl,
      logger,
      onCopied: () => {
        progress += 1;
        if (progress % 100 === 0) process.stdout.write(`  ${progress} files copied…\n`);
      },
    });
    process.stdout.write(
      `Storage: ${report.copied} files copied, ${report.alreadyThere} already in the bucket, ${report.urlsRewritten} stored URLs rewritten\n`,
    );
  } finally {
    target.close();
    await mongoose.disconnect();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
