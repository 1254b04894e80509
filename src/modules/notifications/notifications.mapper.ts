import type { Types } from 'mongoose';

interface NotificationRecord {
  _id: Types.ObjectId;
  userId: string;
  title: string;
  message: string;
  type: string;
  isRead?: boolean | null;
  readAt?: Date | null;
  actionUrl?: string | null;
  data?: unknown;
  createdAt?: Date;
  updatedAt?: Date;
}

export interface NotificationDto {
  _id: string;
  id: string;
  userId: string;
  title: string;
  message: string;
  type: string;
  isRead: boolean;
  readAt: Date | null;
  actionUrl?: string;
  data?: unknown;
  createdAt?: Date;
  updatedAt?: Date;
}

export function toNotificationDto(doc: NotificationRecord): NotificationDto {
  const id = String(doc._id);
  return {
    _id: id,
    id,
    userId: doc.userId,
    title: doc.title,
    message: doc.message,
    type: doc.type,
    isRead: Boolean(doc.isRead),
    readAt: doc.readAt ?? null,
    ...(doc.actionUrl ? { actionUrl: doc.actionUrl } : {}),
    ...(doc.data === undefined ? {} : { data: doc.data }),
    createdAt: doc.createdAt,
    updatedAt: doc.updatedAt,
  };
}
