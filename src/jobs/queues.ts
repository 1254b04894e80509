/**
 * Every background job: its name, the queue it runs on and its payload. Payloads carry ids and
 * storage keys, never file contents or secrets. Add a job here, then its processor in registry.ts
 * (the compiler refuses a job without a processor).
 */
export interface JobPayloads {
  'remove-files': { keys: string[] };
  'sweep-file-deletions': Record<string, never>;
  'process-profile-picture': { userId: string; sourceKey: string; previousKey?: string };
  'sweep-expired-premium': Record<string, never>;
  'expire-overdue-payments': Record<string, never>;
  /** photoKey: the checked original in `incoming/` (or, for captures stored before, the JPEG). */
  'normalize-capture': { captureId: string; photoKey: string };
  /** compositeKey: the uploaded original in `incoming/`. */
  'normalize-composite': { compositeId: string; compositeKey: string };
  /** frameKey: the admin's checked raster original in `incoming/`. */
  'normalize-template-frame': { templateId: string; frameKey: string };
  /** frameKey: the raster original in `incoming/`, or the sanitised SVG in `submissions/`. */
  'normalize-submission-frame': { submissionId: string; frameKey: string };
  'render-composite': { sessionId: string; userId: string };
  'render-template-thumbnail': { templateId: string; sourceKey: string };
  'render-user-frame-thumbnail': { frameId: string; sourceKey: string };
  'render-submission-preview': { submissionId: string };
  'render-animation': { animationId: string };
  'export-gallery': { exportId: string };
  'deliver-announcement': { announcementId: string };
}

export type JobName = keyof JobPayloads;

/** What a job stores: its payload, and the id of the request that enqueued it (for the logs). */
export type JobData<K extends JobName> = JobPayloads[K] & { requestId?: string };

/** CPU-heavy image work and light background work scale (and back up) independently. */
export type QueueName = 'images' | 'background';

export const JOB_QUEUE: { readonly [K in JobName]: QueueName } = {
  'remove-files': 'background',
  'sweep-file-deletions': 'background',
  'process-profile-picture': 'images',
  'sweep-expired-premium': 'background',
  'expire-overdue-payments': 'background',
  'normalize-capture': 'images',
  'normalize-composite': 'images',
  'normalize-template-frame': 'images',
  'normalize-submission-frame': 'images',
  'render-composite': 'images',
  'render-template-thumbnail': 'images',
  'render-user-frame-thumbnail': 'images',
  'render-submission-preview': 'images',
  'render-animation': 'images',
  'export-gallery': 'background',
  'deliver-announcement': 'background',
};

export const QUEUE_NAMES: readonly QueueName[] = ['images', 'background'];

export const DEFAULT_JOB_OPTIONS = {
  attempts: 3,
  backoff: { type: 'exponential', delay: 1000 },
  removeOnComplete: { age: 24 * 3600, count: 1000 },
  removeOnFail: false,
} as const;
