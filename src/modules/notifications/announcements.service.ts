import mongoose, { Types } from 'mongoose';
import type { JobQueue } from '../../jobs/job-queue';
import type { AuthUser } from '../../lib/auth-user';
import { AppError } from '../../lib/errors';
import {
  AnnouncementModel,
  type AnnouncementAudience,
  type AnnouncementStatus,
} from '../../models';

export interface AnnouncementInput {
  title: string;
  message: string;
  audience: AnnouncementAudience;
  link?: string;
}

export interface AnnouncementRecord {
  _id: Types.ObjectId;
  title: string;
  message: string;
  link?: string | null;
  audience: AnnouncementAudience;
  createdBy: Types.ObjectId;
  status: AnnouncementStatus;
  audienceAsOf: Date;
  delivered?: number | null;
  lastId?: Types.ObjectId | null;
  jobId?: string | null;
  startedAt?: Date | null;
  completedAt?: Date | null;
  error?: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface AnnouncementDto {
  _id: string;
  id: string;
  title: string;
  message: string;
  link: string | null;
  audience: AnnouncementAudience;
  createdBy: string;
  status: AnnouncementStatus;
  delivered: number;
  error: string | null;
  startedAt: Date | null;
  completedAt: Date | null;
  createdAt: Date;
}

export function toAnnouncementDto(record: AnnouncementRecord): AnnouncementDto {
  const id = String(record._id);
  return {
    _id: id,
    id,
    title: record.title,
    message: record.message,
    link: record.link ?? null,
    audience: record.audience,
    createdBy: String(record.createdBy),
    status: record.status,
    delivered: record.delivered ?? 0,
    error: record.error ?? null,
    startedAt: record.startedAt ?? null,
    completedAt: record.completedAt ?? null,
    createdAt: record.createdAt,
  };
}

/** The job id of an announcement's delivery: one job per announcement, however often enqueued. */
export const announcementJobId = (announcementId: string): string =>
  `announcement-${announcementId}`;

/**
 * Records an announcement and queues its delivery; the request does not wait for it (a job
 * writes the notifications in batches). When the job cannot be queued, the record is removed
 * and the caller gets 503: nothing is left half-sent.
 */
export async function sendAnnouncement(
  admin: AuthUser,
  input: AnnouncementInput,
  deps: { jobs: JobQueue },
): Promise<AnnouncementDto> {
  const _id = new Types.ObjectId();
  const jobId = announcementJobId(_id.toHexString());
  const created = await AnnouncementModel.create({
    _id,
    title: input.title,
    message: input.message,
    ...(input.link ? { link: input.link } : {}),
    audience: input.audience,
    createdBy: admin.id,
    status: 'queued',
    audienceAsOf: new Date(),
    jobId,
  });
  try {
    await deps.jobs.enqueue('deliver-announcement', { announcementId: String(_id) }, { jobId });
  } catch (error) {
    await AnnouncementModel.deleteOne({ _id });
    throw error;
  }
  return toAnnouncementDto(created.toObject() as AnnouncementRecord);
}

export interface AnnouncementListQuery {
  status?: AnnouncementStatus;
  page: number;
  limit: number;
}

export async function listAnnouncements(query: AnnouncementListQuery) {
  const filter = query.status ? { status: query.status } : {};
  const skip = (query.page - 1) * query.limit;
  const [rows, total] = await Promise.all([
    AnnouncementModel.find(filter)
      .sort({ createdAt: -1, _id: -1 })
      .skip(skip)
      .limit(query.limit)
      .lean<AnnouncementRecord[]>(),
    AnnouncementModel.countDocuments(filter),
  ]);
  return {
    announcements: rows.map(toAnnouncementDto),
    pagination: {
      total,
      page: query.page,
      limit: query.limit,
      pages: Math.ceil(total / query.limit),
    },
  };
}

export async function getAnnouncement(announcementId: string): Promise<AnnouncementDto> {
  if (!mongoose.isValidObjectId(announcementId)) throw AppError.notFound('Announcement not found');
  const record = await AnnouncementModel.findById(announcementId).lean<AnnouncementRecord>();
  if (!record) throw AppError.notFound('Announcement not found');
  return toAnnouncementDto(record);
}
