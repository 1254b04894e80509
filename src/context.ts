import type { Redis } from 'ioredis';
import type { Config } from './config';
import type { JobQueue } from './jobs/job-queue';
import type { Logger } from './lib/logger';
import type { Mailer } from './lib/mailer';
import type { FileStorage } from './lib/storage';
import type { ResolveAccount } from './middleware/authenticate';
import type { AnalyticsWriter } from './modules/analytics/event-writer';
import type { FileAccess } from './modules/files/file-access';

/** What the HTTP process hands its routers: configuration and the long-lived connections. */
export interface AppContext {
  config: Readonly<Config>;
  logger: Logger;
  redis: Redis;
  jobs: JobQueue;
  storage: FileStorage;
  mailer: Mailer;
  fileAccess: FileAccess;
  /** Bearer token → the account that may act (CONTRACT §19.18). */
  resolveAccount: ResolveAccount;
  startedAt: Date;
  /** Buffers tracked events and writes them in batches; closed (flushed) on shutdown. */
  analytics: AnalyticsWriter;
}
