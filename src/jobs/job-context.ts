import type { Config } from '../config';
import type { Logger } from '../lib/logger';
import type { FileStorage } from '../lib/storage';

/** What a processor may use besides its payload; tests build one without Redis. */
export interface JobContext {
  config: Readonly<Config>;
  logger: Logger;
  storage: FileStorage;
  jobId: string;
  attemptsMade: number;
  reportProgress: (progress: number | Record<string, unknown>) => Promise<void>;
}
