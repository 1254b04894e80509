import mongoose, { type Types } from 'mongoose';
import { AppError } from '../../lib/errors';
import type { FileStorage } from '../../lib/storage';
import type { AuthUser } from '../../lib/auth-user';
import { FinalCompositeModel } from '../../models';
import { likedByActor } from '../composites/composite-likes.service';
import { compositeFileUrl, type CompositeRecord } from '../composites/composites.mapper';
import type { ExploreQuery, ExploreSort } from './explore.schemas';

export interface ExploreItem {
  _id: string;
  compositeUrl: string | null;
  thumbnailUrl: string | null;
  templateId: string | null;
  likes: number;
  views: number;
  likedByMe: boolean;
  metadata: Record<string, unknown>;
  createdAt?: Date;
}

interface Cursor {
  /** recent: createdAt in ms; popular: likes. */
  v: number;
  id: string;
}

/**
 * Public composites, newest or most liked first. The cursor is the (sort value, _id) of the last
 * item, so pages stay stable when new composites are published meanwhile (they sort before it).
 */
export async function explore(
  actor: AuthUser | undefined,
  query: ExploreQuery,
  storage: FileStorage,
): Promise<{ composites: ExploreItem[]; nextCursor: string | null; hasMore: boolean }> {
  const field = query.sort === 'popular' ? 'likes' : 'createdAt';
  // An upload still being normalised is the original file (metadata included): owner only.
  const filter: Record<string, unknown> = {
    isPublic: true,
    processing: mongoose.trusted({ $ne: true }),
  };
  if (query.cursor) {
    const cursor = decodeCursor(query.cursor);
    const value = query.sort === 'popular' ? cursor.v : new Date(cursor.v);
    const id = new mongoose.Types.ObjectId(cursor.id);
    filter.$or = [
      { [field]: mongoose.trusted({ $lt: value }) },
      { [field]: value, _id: mongoose.trusted({ $lt: id }) },
    ];
  }
  const rows = (await FinalCompositeModel.find(filter)
    .sort({ [field]: -1, _id: -1 })
    .limit(query.limit + 1)
    .lean()) as CompositeRecord[];
  const page = rows.slice(0, query.limit);
  const liked = await likedByActor(
    actor,
    page.map((row) => String(row._id)),
  );
  const last = page[page.length - 1];
  const hasMore = rows.length > query.limit;
  return {
    composites: page.map((row) => toExploreItem(row, storage, liked.has(String(row._id)))),
    nextCursor: hasMore && last ? encodeCursor(last, query.sort) : null,
    hasMore,
  };
}

function toExploreItem(
  row: CompositeRecord,
  storage: FileStorage,
  likedByMe: boolean,
): ExploreItem {
  return {
    _id: String(row._id),
    compositeUrl: compositeFileUrl(storage, row, row.compositeKey, row.compositeUrl),
    thumbnailUrl: compositeFileUrl(storage, row, row.thumbnailKey, row.thumbnailUrl),
    templateId: row.templateId ?? null,
    likes: row.likes ?? 0,
    views: row.views ?? 0,
    likedByMe,
    metadata: { ...(row.metadata ?? {}) },
    createdAt: row.createdAt,
  };
}

function encodeCursor(
  row: { _id: Types.ObjectId; likes?: number | null; createdAt?: Date },
  sort: ExploreSort,
): string {
  const cursor: Cursor = {
    v: sort === 'popular' ? (row.likes ?? 0) : (row.createdAt?.getTime() ?? 0),
    id: String(row._id),
  };
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

function decodeCursor(value: string): Cursor {
  try {
    const parsed = JSON.parse(Buffer.from(value, 'base64url').toString('utf8')) as Partial<Cursor>;
    if (
      typeof parsed.v === 'number' &&
      Number.isFinite(parsed.v) &&
      typeof parsed.id === 'string' &&
      /^[0-9a-f]{24}$/.test(parsed.id)
    ) {
      return { v: parsed.v, id: parsed.id };
    }
  } catch {
    // Falls through to the 400 below.
  }
  throw AppError.badRequest('Invalid cursor', [
    { field: 'query.cursor', message: 'not a cursor from this endpoint' },
  ]);
}
