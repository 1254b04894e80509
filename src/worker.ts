import mongoose from 'mongoose';
import { loadConfig } from './config';
import { startWorkers } from './jobs/worker-runner';
import { schedulePeriodicJobs } from './jobs/schedules';
import { createLogger } from './lib/logger';
import { serveMetrics } from './lib/metrics';
import { connectMongo } from './lib/mongo';
import { applyMongooseDefaults } from './models/mongoose-defaults';
import { createStorage } from './runtime';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel, { process: 'worker' });
  applyMongooseDefaults();
  await connectMongo(config.mongodbUri, logger);
  const running = startWorkers({ config, logger, storage: createStorage(config) });
  const schedules = await schedulePeriodicJobs(config);
  const metricsServer =
    config.metrics.workerPort > 0 && config.metrics.token
      ? await serveMetrics(config.metrics.workerPort, config.host, config.metrics.token)
      : undefined;
  logger.info({ concurrency: config.workerConcurrency }, 'KaryaKlik worker started');

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'worker stopping: waiting for active jobs');
    const deadline = setTimeout(() => process.exit(1), config.shutdownTimeoutMs);
    deadline.unref();
    metricsServer?.close();
    await running.close();
    await schedules.close();
    await mongoose.disconnect();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
