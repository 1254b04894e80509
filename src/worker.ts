import { loadConfig } from './config';
import { processors } from './job-processors';
import { startWorkers } from './jobs/worker-runner';
import { schedulePeriodicJobs } from './jobs/schedules';
import { createLogger } from './lib/logger';
import { serveMetrics } from './lib/metrics';
import { connectMongoWithRetry, disconnectMongo } from './lib/mongo';
import { applyMongooseDefaults } from './models/mongoose-defaults';
import { createStorage } from './runtime';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel, { process: 'worker' });
  applyMongooseDefaults();
  // Jobs need the database: wait for it (however long) rather than fail them. Redis may come
  // up before or after; BullMQ's worker connections wait and reconnect by themselves.
  const mongo = connectMongoWithRetry(config.mongodbUri, logger);
  let stopping = false;
  const stopEarly = () => {
    if (stopping) return;
    stopping = true;
    mongo.stop();
    process.exit(0);
  };
  process.once('SIGTERM', stopEarly);
  process.once('SIGINT', stopEarly);
  await mongo.connected;
  process.off('SIGTERM', stopEarly);
  process.off('SIGINT', stopEarly);
  if (stopping) return;
  const storage = createStorage(config);
  const running = startWorkers({ config, logger, storage, registry: processors });
  // Registering the schedules waits for Redis; the stop handlers are in place meanwhile.
  const schedules = schedulePeriodicJobs(config);
  // Job durations and image work of this process, for Prometheus (same token as the API's).
  const metricsServer =
    config.metrics.workerPort > 0 && config.metrics.token
      ? await serveMetrics(config.metrics.workerPort, config.host, config.metrics.token)
      : undefined;

  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'worker stopping: waiting for active jobs');
    const deadline = setTimeout(() => process.exit(1), config.shutdownTimeoutMs);
    deadline.unref();
    metricsServer?.close();
    await running.close();
    await schedules.then((s) => s.close()).catch(() => undefined);
    storage.close();
    await disconnectMongo();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
  await schedules;
  logger.info({ concurrency: config.workerConcurrency }, 'KaryaKlik worker started');
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
