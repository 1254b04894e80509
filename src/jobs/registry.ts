import type { JobContext } from './job-context';
import type { JobName, JobPayloads } from './queues';
import { removeFiles } from './processors/remove-files.processor';
import { sweepFileDeletions } from './processors/sweep-file-deletions.processor';
import { processProfilePicture } from './processors/process-profile-picture.processor';
import { sweepExpiredPremium } from './processors/sweep-expired-premium.processor';
import { expireOverduePaymentsJob } from './processors/expire-overdue-payments.processor';
import { normalizeCaptureJob } from './processors/normalize-capture.processor';
import { normalizeCompositeJob } from './processors/normalize-composite.processor';
import { normalizeTemplateFrameJob } from './processors/normalize-template-frame.processor';
import { normalizeSubmissionFrameJob } from './processors/normalize-submission-frame.processor';
import { renderCompositeJob } from './processors/render-composite.processor';
import { renderTemplateThumbnail } from './processors/render-template-thumbnail.processor';
import { renderUserFrameThumbnail } from './processors/render-user-frame-thumbnail.processor';
import { renderSubmissionPreview } from './processors/render-submission-preview.processor';
import { renderAnimation } from './processors/render-animation.processor';
import { exportGallery } from './processors/export-gallery.processor';

export type Processor<K extends JobName> = (
  payload: JobPayloads[K],
  context: JobContext,
) => Promise<unknown>;

export type ProcessorRegistry = { readonly [K in JobName]: Processor<K> };

export const processors: ProcessorRegistry = {
  'remove-files': removeFiles,
  'sweep-file-deletions': sweepFileDeletions,
  'process-profile-picture': processProfilePicture,
  'sweep-expired-premium': sweepExpiredPremium,
  'expire-overdue-payments': expireOverduePaymentsJob,
  'normalize-capture': normalizeCaptureJob,
  'normalize-composite': normalizeCompositeJob,
  'normalize-template-frame': normalizeTemplateFrameJob,
  'normalize-submission-frame': normalizeSubmissionFrameJob,
  'render-composite': renderCompositeJob,
  'render-template-thumbnail': renderTemplateThumbnail,
  'render-user-frame-thumbnail': renderUserFrameThumbnail,
  'render-submission-preview': renderSubmissionPreview,
  'render-animation': renderAnimation,
  'export-gallery': exportGallery,
};
