import type { Types } from 'mongoose';
import type { FeedbackStatus } from '../../models/enums';

export interface FeedbackRecord {
  _id: Types.ObjectId;
  name: string;
  email: string;
  message: string;
  status: FeedbackStatus | string;
  replyMessage?: string | null;
  repliedAt?: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

/** The fields the admin Feedback page reads (CONTRACT #57), plus the reply. */
export interface FeedbackDto {
  _id: string;
  name: string;
  email: string;
  message: string;
  status: string;
  replyMessage: string | null;
  repliedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export function toFeedbackDto(doc: FeedbackRecord): FeedbackDto {
  return {
    _id: String(doc._id),
    name: doc.name,
    email: doc.email,
    message: doc.message,
    status: doc.status,
    replyMessage: doc.replyMessage ?? null,
    repliedAt: doc.repliedAt ?? null,
    createdAt: doc.createdAt,
    updatedAt: doc.updatedAt,
  };
}
