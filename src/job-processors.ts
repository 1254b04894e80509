import { expireOverduePayments } from './modules/payments/payment-expiry.service';
import { sweepExpiredPremium } from './modules/payments/premium-expiry.service';
import { exportGalleryJob } from './modules/exports/export-gallery';
import { deliverAnnouncementJob } from './modules/notifications/announcement-delivery';
import { renderAnimationJob } from './modules/animations/render-animation';
import { renderSessionComposite } from './modules/compositing/render-composite';
import type { ProcessorRegistry } from './jobs/registry';
import { removeFiles } from './jobs/processors/remove-files.processor';
import { sweepFileDeletions } from './jobs/processors/sweep-file-deletions.processor';
import { processProfilePicture } from './jobs/processors/process-profile-picture.processor';
import { normalizeCaptureJob } from './modules/photos/normalize-capture';
import { normalizeCompositeJob } from './modules/composites/normalize-composite';
import { normalizeTemplateFrameJob } from './modules/templates/normalize-template-frame';
import { normalizeSubmissionFrameJob } from './modules/submissions/normalize-submission-frame';
import { renderCompositeProcessor } from './jobs/processors/render-composite.processor';
import { renderTemplateThumbnail } from './jobs/processors/render-template-thumbnail.processor';
import { renderUserFrameThumbnail } from './jobs/processors/render-user-frame-thumbnail.processor';
import { renderSubmissionPreview } from './jobs/processors/render-submission-preview.processor';

/**
 * The worker's composition root, as `routes.ts` is the API's: every job name with what runs it.
 * Domain use cases are wired in here, so the job runtime (`jobs/`) never imports a domain module.
 */
export const processors: ProcessorRegistry = {
  'remove-files': removeFiles,
  'sweep-file-deletions': sweepFileDeletions,
  'process-profile-picture': processProfilePicture,
  'sweep-expired-premium': sweepExpiredPremium,
  'expire-overdue-payments': (_payload, context) => expireOverduePayments(context),
  'normalize-capture': normalizeCaptureJob,
  'normalize-composite': normalizeCompositeJob,
  'normalize-template-frame': normalizeTemplateFrameJob,
  'normalize-submission-frame': normalizeSubmissionFrameJob,
  'render-composite': renderCompositeProcessor(renderSessionComposite),
  'render-template-thumbnail': renderTemplateThumbnail,
  'render-user-frame-thumbnail': renderUserFrameThumbnail,
  'render-submission-preview': renderSubmissionPreview,
  'render-animation': renderAnimationJob,
  'export-gallery': exportGalleryJob,
  'deliver-announcement': deliverAnnouncementJob,
};
