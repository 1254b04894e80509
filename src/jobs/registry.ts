import type { JobContext } from './job-context';
import type { JobName, JobPayloads } from './queues';

export type Processor<K extends JobName> = (
  payload: JobPayloads[K],
  context: JobContext,
) => Promise<unknown>;

/**
 * Every job name with its processor, checked at compile time. The job runtime only defines this
 * shape; the worker's composition root (`src/job-processors.ts`) fills it with the domain use
 * cases, so nothing under `jobs/` imports a domain module.
 */
export type ProcessorRegistry = { readonly [K in JobName]: Processor<K> };
