import mongoose, { type ClientSession, type QueryFilter } from 'mongoose';
import type { JobQueue } from '../../jobs/job-queue';
import type { AuthUser } from '../../lib/auth-user';
import { AppError } from '../../lib/errors';
import type { Logger } from '../../lib/logger';
import { FileStorage } from '../../lib/storage';
import {
  TEMPLATE_CATEGORIES,
  TemplateModel,
  UserModel,
  UserSubmittedFrameModel,
  type TemplateCategory,
} from '../../models';
import type { UserSubmittedFrame } from '../../models/user-submitted-frame.model';
import { recordAudit } from '../audit/audit.service';
import { notifyUser } from '../notifications/notifications.service';
import {
  toTemplateDto,
  type TemplateDto,
  type TemplateRecord,
} from '../templates/templates.mapper';
import {
  missingSubmitter,
  toModerationDto,
  type ModerationDto,
  type SubmissionRecord,
  type SubmitterDto,
} from './submissions.mapper';
import type {
  ApproveSubmissionBody,
  ModerationQueueQuery,
  RejectSubmissionBody,
} from './submissions.schemas';

export interface ModerationDeps {
  storage: FileStorage;
  jobs: JobQueue;
  logger: Logger;
}

export interface ModerationPage {
  data: ModerationDto[];
  count: number;
  total: number;
  hasMore: boolean;
}

/**
 * The admin queue (CONTRACT #49): filtered by status (pending by default), submitter, name or
 * layout, with the submitter populated as `{_id, name, username, email}`. A submitter whose
 * account is gone gets a placeholder, so the page never meets a null (§7.1).
 */
export async function listModerationQueue(
  _admin: AuthUser,
  query: ModerationQueueQuery,
  storage: FileStorage,
): Promise<ModerationPage> {
  const filter: QueryFilter<UserSubmittedFrame> = {};
  if (query.status !== 'all') filter.status = query.status;
  if (query.userId) filter.userId = query.userId;
  if (query.layout) filter.layout = query.layout;
  if (query.q) filter.name = mongoose.trusted({ $regex: escapeRegex(query.q), $options: 'i' });
  const order = query.sort === 'oldest' ? 1 : -1;
  const [rows, total] = await Promise.all([
    UserSubmittedFrameModel.find(filter)
      .sort({ createdAt: order, _id: order })
      .skip(query.skip)
      .limit(query.limit)
      .lean<SubmissionRecord[]>(),
    UserSubmittedFrameModel.countDocuments(filter),
  ]);
  const submitters = await submittersOf(rows.map((row) => row.userId));
  return {
    data: rows.map((row) =>
      toModerationDto(row, submitters.get(row.userId) ?? missingSubmitter(row.userId), storage),
    ),
    count: rows.length,
    total,
    hasMore: query.skip + rows.length < total,
  };
}

async function submittersOf(userIds: string[]): Promise<Map<string, SubmitterDto>> {
  const ids = [...new Set(userIds)].filter((id) => /^[0-9a-f]{24}$/i.test(id));
  const users = await UserModel.find({ _id: mongoose.trusted({ $in: ids }) })
    .select('name email +isDeleted')
    .lean();
  return new Map(
    users.map((u) => [
      String(u._id),
      {
        _id: String(u._id),
        name: u.name,
        username: u.name,
        email: u.email,
        isDeleted: u.isDeleted === true,
      },
    ]),
  );
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A decision that found the submission already decided (or gone): thrown to end the transaction. */
class NotPending extends Error {}

/**
 * Approves a pending submission (CONTRACT #50): in one transaction the submission moves
 * pending → approved (a conditional update, so only one approval ever wins), its files are
 * published to the public templates folder (keys derived from the submission, so a retried
 * transaction rewrites the same files), the Template is created (public, isPremium as the admin
 * chose), the submitter is notified and the decision recorded.
 */
export async function approveSubmission(
  admin: AuthUser,
  id: string,
  input: ApproveSubmissionBody,
  deps: ModerationDeps,
): Promise<{ submission: ModerationDto; template: TemplateDto }> {
  const published: string[] = [];
  let outcome: { submission: SubmissionRecord; template: TemplateRecord } | undefined;
  try {
    await mongoose.connection.transaction(async (session) => {
      const now = new Date();
      const claimed = await UserSubmittedFrameModel.findOneAndUpdate(
        // A frame still being processed is not what the admin will publish yet.
        { _id: id, status: 'pending', processing: mongoose.trusted({ $ne: true }) },
        {
          $set: {
            status: 'approved',
            isPremium: input.isPremium,
            approvedAt: now,
            approvedBy: new mongoose.Types.ObjectId(admin.id),
          },
        },
        { returnDocument: 'after', session },
      ).lean<SubmissionRecord>();
      if (!claimed) throw new NotPending();
      const files = await publishFiles(claimed, deps.storage, published);
      const [template] = await TemplateModel.create(
        [
          {
            name: input.name ?? claimed.name,
            category: categoryOf(input.category, claimed.frameSpec),
            description: claimed.description ?? undefined,
            tags: ['Community'],
            frameUrl: files.frameUrl,
            thumbnail: files.frameUrl,
            isPremium: input.isPremium,
            frameCount: claimed.frameCount ?? undefined,
            layoutPositions: claimed.layoutPositions,
            canvasWidth: claimed.canvasWidth,
            canvasHeight: claimed.canvasHeight,
            isActive: true,
            visibility: 'public',
            isAIGenerated: false,
            createdBy: /^[0-9a-f]{24}$/i.test(claimed.userId) ? claimed.userId : undefined,
            sourceSubmissionId: claimed._id,
          },
        ],
        { session },
      );
      const templateId = template!._id;
      const submission = await UserSubmittedFrameModel.findOneAndUpdate(
        { _id: claimed._id },
        { $set: { templateId } },
        { returnDocument: 'after', session },
      ).lean<SubmissionRecord>();
      await notifyUser(
        claimed.userId,
        {
          title: 'Your frame was approved',
          message: `"${claimed.name}" is now in the KaryaKlik template gallery${input.isPremium ? ' for Pro members' : ''}.`,
          type: 'template',
          actionUrl: `/templates/${String(templateId)}`,
          data: { submissionId: String(claimed._id), templateId: String(templateId) },
        },
        session,
      );
      await recordModerationDecision(
        admin,
        claimed,
        'approved',
        { templateId: String(templateId), isPremium: input.isPremium },
        session,
      );
      outcome = { submission: submission!, template: template!.toObject<TemplateRecord>() };
    });
  } catch (error) {
    if (published.length > 0 && !(await TemplateModel.exists({ sourceSubmissionId: id }))) {
      await deps.storage.remove(...published);
    }
    if (error instanceof NotPending) throw await notPendingError(id);
    throw error;
  }
  const { submission, template } = outcome!;
  await enqueueTemplateThumbnail(deps, template).catch((error: unknown) =>
    deps.logger.error({ err: error, templateId: String(template._id) }, 'thumbnail not queued'),
  );
  const [withSubmitter] = (await submittersOf([submission.userId])).values();
  return {
    submission: toModerationDto(
      submission,
      withSubmitter ?? missingSubmitter(submission.userId),
      deps.storage,
    ),
    template: toTemplateDto(template),
  };
}

/**
 * Rejects a pending submission with a reason (CONTRACT #51); the submitter is told why. Like
 * approval it is a conditional update, so an approval and a rejection racing have one winner.
 */
export async function rejectSubmission(
  admin: AuthUser,
  id: string,
  input: RejectSubmissionBody,
  deps: ModerationDeps,
): Promise<ModerationDto> {
  let rejected: SubmissionRecord | undefined;
  try {
    await mongoose.connection.transaction(async (session) => {
      const updated = await UserSubmittedFrameModel.findOneAndUpdate(
        { _id: id, status: 'pending' },
        {
          $set: {
            status: 'rejected',
            rejectionReason: input.rejectionReason,
            rejectedAt: new Date(),
            rejectedBy: new mongoose.Types.ObjectId(admin.id),
          },
        },
        { returnDocument: 'after', session },
      ).lean<SubmissionRecord>();
      if (!updated) throw new NotPending();
      await notifyUser(
        updated.userId,
        {
          title: 'Your frame was not approved',
          message: `"${updated.name}" was not approved: ${input.rejectionReason}`,
          type: 'template',
          actionUrl: '/user/my-submissions',
          data: { submissionId: String(updated._id), rejectionReason: input.rejectionReason },
        },
        session,
      );
      await recordModerationDecision(admin, updated, 'rejected', {}, session);
      rejected = updated;
    });
  } catch (error) {
    if (error instanceof NotPending) throw await notPendingError(id);
    throw error;
  }
  const [submitter] = (await submittersOf([rejected!.userId])).values();
  return toModerationDto(rejected!, submitter ?? missingSubmitter(rejected!.userId), deps.storage);
}

async function notPendingError(id: string): Promise<AppError> {
  const current = await UserSubmittedFrameModel.findById(id).select('status processing').lean();
  if (!current) return AppError.notFound('Submission not found');
  if (current.status === 'pending' && current.processing === true)
    return AppError.conflict('This frame is still being processed; try again shortly');
  return AppError.badRequest(`This submission is already ${current.status}`);
}

/** The decision in the admin audit log, written in the decision's own transaction. */
async function recordModerationDecision(
  admin: AuthUser,
  submission: SubmissionRecord,
  decision: 'approved' | 'rejected',
  after: Record<string, unknown>,
  session: ClientSession,
): Promise<void> {
  await recordAudit(
    admin,
    {
      action: decision === 'approved' ? 'submission.approve' : 'submission.reject',
      targetType: 'submission',
      targetId: String(submission._id),
      // A submitter id that is not an account id (legacy data) names no subject.
      subjectUserId: /^[0-9a-f]{24}$/i.test(submission.userId) ? submission.userId : null,
      before: { status: 'pending' },
      after: { status: decision, ...after },
      note: submission.rejectionReason ?? undefined,
    },
    session,
  );
}

/**
 * The submission's frame copied into the public templates folder under a key derived from the
 * submission (the same on every retry). A submission stored before files were private keeps its
 * URL.
 */
async function publishFiles(
  submission: SubmissionRecord,
  storage: FileStorage,
  published: string[],
): Promise<{ frameUrl: string; frameKey?: string }> {
  const source = submission.frameKey;
  if (!source || FileStorage.folderOf(source) !== 'submissions') {
    return { frameUrl: submission.frameUrl };
  }
  const extension = source.slice(source.lastIndexOf('.') + 1) as 'svg' | 'png' | 'jpg' | 'webp';
  const key = storage.derivedKey('templates', `submission:${String(submission._id)}`, extension);
  await storage.saveAt(key, await storage.read(source));
  published.push(key);
  return { frameUrl: storage.publicUrl(key), frameKey: key };
}

function categoryOf(chosen: TemplateCategory | undefined, frameSpec: unknown): TemplateCategory {
  if (chosen) return chosen;
  const sent =
    typeof frameSpec === 'object' && frameSpec !== null
      ? (frameSpec as Record<string, unknown>).category
      : undefined;
  return (TEMPLATE_CATEGORIES as readonly unknown[]).includes(sent)
    ? (sent as TemplateCategory)
    : 'General';
}

function enqueueTemplateThumbnail(deps: ModerationDeps, template: TemplateRecord): Promise<string> {
  const sourceKey = deps.storage.keyFromUrl(template.frameUrl);
  if (!sourceKey) return Promise.resolve('');
  const templateId = String(template._id);
  return deps.jobs.enqueue(
    'render-template-thumbnail',
    { templateId, sourceKey },
    { jobId: `template-thumbnail-${templateId}-approved` },
  );
}
