/**
 * `npm run migrate:legacy-photos`: copies the deprecated Photo documents into FinalComposite.
 * Safe to run again: already migrated photos are counted, not copied twice.
 */
import mongoose from 'mongoose';
import { loadConfig } from '../src/config';
import { createLogger } from '../src/lib/logger';
import { connectMongo } from '../src/lib/mongo';
import { FinalCompositeModel } from '../src/models';
import { applyMongooseDefaults } from '../src/models/mongoose-defaults';
import { migrateLegacyPhotos } from '../src/modules/legacy-photos/legacy-photos.migration';
import { createStorage } from '../src/runtime';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel, { process: 'migrate-legacy-photos' });
  applyMongooseDefaults();
  await connectMongo(config.mongodbUri);
  try {
    // The unique legacyPhotoId index is what makes a re-run (or two at once) create nothing new.
    await FinalCompositeModel.init();
    const report = await migrateLegacyPhotos({
      storage: createStorage(config),
      publicBaseUrl: config.publicBaseUrl,
    });
    logger.info(report, 'legacy photos migrated');
    process.stdout.write(
      `Legacy photos: ${report.scanned} scanned, ${report.created} migrated, ${report.alreadyMigrated} already migrated, ${report.failed.length} failed\n`,
    );
    if (report.failed.length > 0) process.exitCode = 1;
  } finally {
    await mongoose.disconnect();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
