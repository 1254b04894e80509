import mongoose, { Types } from 'mongoose';
import type { AuthUser } from '../../lib/auth-user';
import { AppError } from '../../lib/errors';
import type { Logger } from '../../lib/logger';
import type { Mailer } from '../../lib/mailer';
import { FeedbackModel } from '../../models/feedback.model';
import { notifyAdmins } from '../notifications/notifications.service';
import type {
  CreateFeedbackBody,
  ListFeedbackQuery,
  ReplyFeedbackBody,
  UpdateFeedbackBody,
} from './feedback.schemas';
import { toFeedbackDto, type FeedbackDto, type FeedbackRecord } from './feedback.mapper';
import { newestFirstPage, paginationWithMore, type Pagination } from '../../lib/pagination';

/**
 * The public contact form (CONTRACT #56). A filled honeypot field means a bot: it gets the same
 * answer as a person, and nothing is stored or announced.
 */
export async function createFeedback(
  input: CreateFeedbackBody,
  deps: { logger: Logger },
): Promise<FeedbackDto> {
  const { website, ...fields } = input;
  if (website !== undefined && website !== null && website !== '') {
    deps.logger.info({ honeypot: true }, 'contact form dropped: honeypot field filled');
    const now = new Date();
    return toFeedbackDto({
      _id: new Types.ObjectId(),
      ...fields,
      status: 'unread',
      createdAt: now,
      updatedAt: now,
    });
  }
  const created = await FeedbackModel.create({ ...fields, status: 'unread' });
  await notifyAdmins(
    {
      title: 'New feedback',
      message: `${created.name} (${created.email}): ${created.message.slice(0, 140)}`,
      type: 'system',
      actionUrl: '/admin/feedback',
      data: { feedbackId: String(created._id) },
    },
    deps.logger,
  );
  return toFeedbackDto(created.toObject());
}

export interface FeedbackPage {
  feedbacks: FeedbackDto[];
  pagination: Pagination & { hasMore: boolean };
}

/** Admin list (#57), newest first, optionally by status. */
export async function listFeedback(
  _admin: AuthUser,
  query: ListFeedbackQuery,
): Promise<FeedbackPage> {
  const filter = query.status ? { status: query.status } : {};
  const [docs, total] = await Promise.all([
    newestFirstPage(FeedbackModel.find(filter), query).lean<FeedbackRecord[]>(),
    FeedbackModel.countDocuments(filter),
  ]);
  return {
    feedbacks: docs.map(toFeedbackDto),
    pagination: paginationWithMore(query, total, docs.length),
  };
}

function checkId(id: string): void {
  if (!mongoose.isValidObjectId(id)) throw AppError.badRequest('Invalid feedback id');
}

export async function updateFeedbackStatus(
  _admin: AuthUser,
  id: string,
  input: UpdateFeedbackBody,
): Promise<FeedbackDto> {
  checkId(id);
  const doc = await FeedbackModel.findOneAndUpdate(
    { _id: id },
    { $set: { status: input.status } },
    { returnDocument: 'after' },
  ).lean<FeedbackRecord>();
  if (!doc) throw AppError.notFound('Feedback not found');
  return toFeedbackDto(doc);
}

export async function deleteFeedback(_admin: AuthUser, id: string): Promise<void> {
  checkId(id);
  const result = await FeedbackModel.deleteOne({ _id: id });
  if (result.deletedCount === 0) throw AppError.notFound('Feedback not found');
}

/**
 * Mails the admin's reply to the sender, then marks the feedback replied. The mail is the
 * action: if it cannot be sent the feedback is left as it was and the admin is told (503).
 */
export async function replyToFeedback(
  admin: AuthUser,
  id: string,
  input: ReplyFeedbackBody,
  deps: { mailer: Mailer; logger: Logger },
): Promise<FeedbackDto> {
  checkId(id);
  const feedback = await FeedbackModel.findById(id).lean<FeedbackRecord>();
  if (!feedback) throw AppError.notFound('Feedback not found');
  try {
    await deps.mailer.deliver({
      to: feedback.email,
      subject: input.subject ?? 'Re: your message to KaryaKlik',
      text: `Hi ${feedback.name},\n\n${input.message}\n\n— ${admin.name}, KaryaKlik\n\nYour message:\n> ${feedback.message.split('\n').join('\n> ')}`,
    });
  } catch (error) {
    deps.logger.error({ err: error, feedbackId: id }, 'feedback reply not sent');
    throw AppError.unavailable('The reply could not be sent, try again later');
  }
  const doc = await FeedbackModel.findOneAndUpdate(
    { _id: id },
    {
      $set: {
        status: 'replied',
        replyMessage: input.message,
        repliedAt: new Date(),
        repliedBy: new Types.ObjectId(admin.id),
      },
    },
    { returnDocument: 'after' },
  ).lean<FeedbackRecord>();
  // Deleted between the read and the reply: the mail went out, the record is gone.
  if (!doc) throw AppError.notFound('Feedback not found');
  return toFeedbackDto(doc);
}
