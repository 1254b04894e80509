export * from './enums';
export { applyMongooseDefaults } from './mongoose-defaults';
export { UserModel, USER_SECRET_PATHS, type User, type UserDocument } from './user.model';
export { TemplateModel, type Template, type TemplateDocument } from './template.model';
export {
  PhotoSessionModel,
  type PhotoSession,
  type PhotoSessionDocument,
} from './photo-session.model';
export {
  CapturedPhotoModel,
  type CapturedPhoto,
  type CapturedPhotoDocument,
} from './captured-photo.model';
export {
  FinalCompositeModel,
  type FinalComposite,
  type FinalCompositeDocument,
} from './final-composite.model';
export {
  CompositeLikeModel,
  type CompositeLike,
  type CompositeLikeDocument,
} from './composite-like.model';
export { PhotoModel, type Photo, type PhotoDocument } from './photo.model';
export { PaymentModel, type Payment, type PaymentDocument } from './payment.model';
export { UsageLimitModel, type UsageLimit, type UsageLimitDocument } from './usage-limit.model';
export {
  UserGeneratedFrameModel,
  type UserGeneratedFrame,
  type UserGeneratedFrameDocument,
} from './user-generated-frame.model';
export {
  UserSubmittedFrameModel,
  type UserSubmittedFrame,
  type UserSubmittedFrameDocument,
} from './user-submitted-frame.model';
export {
  AnalyticsEventModel,
  type AnalyticsEvent,
  type AnalyticsEventDocument,
} from './analytics-event.model';
export {
  NotificationModel,
  type Notification,
  type NotificationDocument,
} from './notification.model';
export { FeedbackModel, type Feedback, type FeedbackDocument } from './feedback.model';
export {
  AuditLogModel,
  AUDIT_ACTIONS,
  type AuditAction,
  type AuditLog,
  type AuditLogDocument,
} from './audit-log.model';
export {
  SessionAnimationModel,
  type SessionAnimation,
  type SessionAnimationDocument,
} from './session-animation.model';
export {
  GalleryExportModel,
  type GalleryExport,
  type GalleryExportDocument,
} from './gallery-export.model';
export {
  FileDeletionModel,
  type FileDeletion,
  type FileDeletionDocument,
} from './file-deletion.model';
export {
  AnnouncementModel,
  ANNOUNCEMENT_AUDIENCES,
  ANNOUNCEMENT_STATUSES,
  type Announcement,
  type AnnouncementAudience,
  type AnnouncementDocument,
  type AnnouncementStatus,
} from './announcement.model';
