import type { AppContext } from './context';
import type { ApiRouter } from './middleware/api-router';
import { aiFramesRouter } from './modules/ai-frames/ai-frames.router';
import { analyticsRouter } from './modules/analytics/analytics.router';
import { dashboardRouter } from './modules/analytics/dashboard.router';
import { animationsRouter } from './modules/animations/animations.router';
import { auditRouter } from './modules/audit/audit.router';
import { authRouter } from './modules/auth/auth.router';
import { compositesRouter } from './modules/composites/composites.router';
import { compositingRouter } from './modules/compositing/compositing.router';
import { exploreRouter } from './modules/explore/explore.router';
import { exportsRouter } from './modules/exports/exports.router';
import { feedbackRouter } from './modules/feedback/feedback.router';
import { galleryRouter } from './modules/gallery/gallery.router';
import { legacyPhotosRouter } from './modules/legacy-photos/legacy-photos.router';
import { announcementsRouter } from './modules/notifications/announcements.router';
import { notificationsRouter } from './modules/notifications/notifications.router';
import { adminPaymentsRouter } from './modules/payments/admin-payments.router';
import { paymentsRouter } from './modules/payments/payments.router';
import { photosRouter } from './modules/photos/photos.router';
import { sessionsRouter } from './modules/sessions/sessions.router';
import { shareRouter } from './modules/share/share.router';
import {
  frameModerationRouter,
  userSubmissionsRouter,
} from './modules/submissions/submissions.router';
import { templatesRouter } from './modules/templates/templates.router';
import { usageRouter } from './modules/usage/usage.router';
import { userFramesRouter } from './modules/user-frames/user-frames.router';
import { usersRouter } from './modules/users/users.router';

/** An ApiRouter of any envelope family. */
export type MountedRouter = ApiRouter<never>;

/**
 * Every ApiRouter of the API, in mounting order (each at `/api` + its `prefix`). Order matters
 * where two share a prefix: the capture uploads of `/photos` come before the legacy `/photos`
 * routes. The API document and the route tests walk this list.
 */
export function apiRouters(ctx: AppContext): MountedRouter[] {
  return [
    templatesRouter(ctx),
    sessionsRouter(ctx),
    compositingRouter(ctx),
    animationsRouter(ctx),
    exportsRouter(ctx),
    photosRouter(ctx),
    legacyPhotosRouter(ctx),
    galleryRouter(ctx),
    compositesRouter(ctx),
    exploreRouter(ctx),
    shareRouter(ctx),
    authRouter(ctx),
    usersRouter(ctx),
    notificationsRouter(ctx),
    aiFramesRouter(ctx),
    userFramesRouter(ctx),
    userSubmissionsRouter(ctx),
    frameModerationRouter(ctx),
    paymentsRouter(ctx),
    adminPaymentsRouter(ctx),
    auditRouter(ctx),
    announcementsRouter(ctx),
    usageRouter(ctx),
    analyticsRouter(ctx),
    feedbackRouter(ctx),
    dashboardRouter(ctx),
  ];
}
