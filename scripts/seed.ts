import mongoose from 'mongoose';
import { loadConfig } from '../src/config';
import { createLogger } from '../src/lib/logger';
import { connectMongo } from '../src/lib/mongo';
import { applyMongooseDefaults } from '../src/models/mongoose-defaults';
import { createStorage } from '../src/runtime';
import { seedDatabase } from './seed/seed-database';

/** `npm run seed`: the admin account and the starter templates, safe to run again. */
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  applyMongooseDefaults();
  await connectMongo(config.mongodbUri);
  try {
    await Promise.all(Object.values(mongoose.connection.models).map((model) => model.init()));
    const report = await seedDatabase({ config, storage: createStorage(config), logger });
    console.log(
      `Seed done: admin ${report.admin}; templates created ${report.templatesCreated}, already there ${report.templatesExisting}.`,
    );
  } finally {
    await mongoose.disconnect();
  }
}

main().catch((error: unknown) => {
  console.error('Seed failed:', error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
