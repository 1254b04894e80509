import type { Types } from 'mongoose';
import type { PhotoSession } from '../../models';

export type SessionRecord = PhotoSession & {
  _id: Types.ObjectId;
  createdAt?: Date;
  updatedAt?: Date;
};

export interface SessionDto {
  _id: string;
  userId: string;
  sessionName: string;
  templateId: string;
  status: string;
  capturedPhotos: string[];
  finalComposite: string | null;
  metadata: Record<string, unknown>;
  startedAt: Date | null;
  completedAt: Date | null;
  renderStatus: string | null;
  renderError: string | null;
  createdAt?: Date;
  updatedAt?: Date;
}

export function toSessionDto(session: SessionRecord): SessionDto {
  return {
    _id: String(session._id),
    userId: session.userId,
    sessionName: session.sessionName,
    templateId: session.templateId,
    status: session.status,
    capturedPhotos: session.capturedPhotos ?? [],
    finalComposite: session.finalComposite ?? null,
    metadata: { ...(session.metadata ?? {}), totalPhotos: session.metadata?.totalPhotos ?? 0 },
    startedAt: session.startedAt ?? null,
    completedAt: session.completedAt ?? null,
    renderStatus: session.renderStatus ?? null,
    renderError: session.renderError ?? null,
    createdAt: session.createdAt,
    updatedAt: session.updatedAt,
  };
}
