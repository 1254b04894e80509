import mongoose from 'mongoose';
import type { Config } from '../../config';
import { AppError } from '../../lib/errors';
import type { FileStorage } from '../../lib/storage';
import type { AuthUser } from '../../lib/auth-user';
import { FinalCompositeModel, PhotoModel } from '../../models';
import { toLegacyPhotoDto, type LegacyPhotoDto, type PhotoRecord } from './legacy-photos.mapper';
import type { PageQuery, UpdatePhotoBody } from './legacy-photos.schemas';
import { newestFirstPage, pagination, type Pagination } from '../../lib/pagination';

/**
 * The deprecated Photo gallery (CONTRACT §18), kept working as before for old data: public and
 * own listings, owner edits, likes and views as plain counters. Nothing creates Photo documents
 * any more; `migrateLegacyPhotos` copies them into FinalComposite.
 */
export interface LegacyDeps {
  config: Readonly<Config>;
  storage: FileStorage;
}

type Page = {
  photos: LegacyPhotoDto[];
  pagination: Pagination;
};

async function page(
  filter: Record<string, unknown>,
  query: PageQuery,
  deps: LegacyDeps,
): Promise<Page> {
  const [rows, total] = await Promise.all([
    newestFirstPage(PhotoModel.find(filter), query).lean(),
    PhotoModel.countDocuments(filter),
  ]);
  return {
    photos: rows.map((row) =>
      toLegacyPhotoDto(row as PhotoRecord, deps.storage, deps.config.publicBaseUrl),
    ),
    pagination: pagination(query, total),
  };
}

export function listPublicPhotos(query: PageQuery, deps: LegacyDeps): Promise<Page> {
  return page({ isPublic: true }, query, deps);
}

export function listMyPhotos(actor: AuthUser, query: PageQuery, deps: LegacyDeps): Promise<Page> {
  return page({ userId: actor.id }, query, deps);
}

/** Public photos for anyone, private ones only for their owner (others get 404). */
function visibleFilter(actor: AuthUser | undefined, photoId: string): Record<string, unknown> {
  const or: Record<string, unknown>[] = [{ isPublic: true }];
  if (actor) or.push({ userId: actor.id });
  return { _id: photoId, $or: or };
}

export async function getPhoto(
  actor: AuthUser | undefined,
  photoId: string,
  deps: LegacyDeps,
): Promise<LegacyPhotoDto> {
  const photo = await PhotoModel.findOne(visibleFilter(actor, photoId)).lean();
  if (!photo) throw AppError.notFound('Photo not found');
  return toLegacyPhotoDto(photo as PhotoRecord, deps.storage, deps.config.publicBaseUrl);
}

export function updatePhoto(
  actor: AuthUser,
  photoId: string,
  changes: UpdatePhotoBody,
  deps: LegacyDeps,
): Promise<LegacyPhotoDto> {
  return updateOwnPhoto(actor, photoId, { $set: changes }, deps);
}

/** Flips isPublic in one atomic pipeline update, so concurrent toggles never lose one. */
export function toggleVisibility(
  actor: AuthUser,
  photoId: string,
  deps: LegacyDeps,
): Promise<LegacyPhotoDto> {
  return updateOwnPhoto(
    actor,
    photoId,
    [{ $set: { isPublic: { $not: [{ $eq: ['$isPublic', true] }] } } }],
    deps,
  );
}

/** One owner's change to their own photo; another user's (or a missing) photo is a 404. */
async function updateOwnPhoto(
  actor: AuthUser,
  photoId: string,
  update: Parameters<typeof PhotoModel.findOneAndUpdate>[1],
  deps: LegacyDeps,
): Promise<LegacyPhotoDto> {
  const photo = await PhotoModel.findOneAndUpdate({ _id: photoId, userId: actor.id }, update, {
    returnDocument: 'after',
    updatePipeline: Array.isArray(update),
  }).lean();
  if (!photo) throw AppError.notFound('Photo not found or unauthorized');
  return toLegacyPhotoDto(photo as PhotoRecord, deps.storage, deps.config.publicBaseUrl);
}

export async function deletePhoto(
  actor: AuthUser,
  photoId: string,
  deps: LegacyDeps,
): Promise<void> {
  const photo = await PhotoModel.findOneAndDelete({ _id: photoId, userId: actor.id }).lean();
  if (!photo) throw AppError.notFound('Photo not found or unauthorized');
  // A migrated copy may share the file; it is removed only when no composite still points at it.
  const keys = [photo.imageUrl, photo.thumbnailUrl]
    .map((url) =>
      url
        ? deps.storage.keyFromUrl(url.startsWith('/') ? `${deps.config.publicBaseUrl}${url}` : url)
        : undefined,
    )
    .filter((key): key is string => Boolean(key));
  for (const key of keys) {
    const used = await FinalCompositeModel.exists({
      $or: [{ compositeKey: key }, { thumbnailKey: key }],
    });
    if (!used) await deps.storage.remove(key);
  }
}

export async function changeLikes(
  actor: AuthUser,
  photoId: string,
  delta: 1 | -1,
): Promise<{ likes: number }> {
  return { likes: await bumpCounter(actor, photoId, 'likes', delta) };
}

export async function countView(
  actor: AuthUser | undefined,
  photoId: string,
): Promise<{ views: number }> {
  return { views: await bumpCounter(actor, photoId, 'views', 1) };
}

/**
 * Moves a visible photo's counter by one, atomically; a counter never goes below zero (an
 * unlike at zero answers the count unchanged). A photo the actor cannot see is a 404.
 */
async function bumpCounter(
  actor: AuthUser | undefined,
  photoId: string,
  field: 'likes' | 'views',
  delta: 1 | -1,
): Promise<number> {
  const filter = {
    ...visibleFilter(actor, photoId),
    ...(delta < 0 ? { [field]: mongoose.trusted({ $gt: 0 }) } : {}),
  };
  const photo = await PhotoModel.findOneAndUpdate(
    filter,
    { $inc: { [field]: delta } },
    { returnDocument: 'after' },
  )
    .select(field)
    .lean();
  if (photo) return photo[field] ?? 0;
  const current = await PhotoModel.findOne(visibleFilter(actor, photoId)).select(field).lean();
  if (!current) throw AppError.notFound('Photo not found');
  return current[field] ?? 0;
}

/** FileAccess rule for the `legacy` folder: plain URLs only for public photos or open composites. */
export function legacyFileRule(deps: LegacyDeps): (key: string) => Promise<boolean> {
  return async (key) => {
    // Old rows hold the URL in absolute or in relative (`/uploads/...`) form.
    const urls = [deps.storage.publicUrl(key), `/uploads/${key}`];
    const photo = await PhotoModel.exists({
      isPublic: true,
      $or: urls.flatMap((url) => [{ imageUrl: url }, { thumbnailUrl: url }]),
    });
    if (photo) return true;
    const composite = await FinalCompositeModel.exists({
      $and: [
        { $or: [{ compositeKey: key }, { thumbnailKey: key }] },
        { $or: [{ isPublic: true }, { shareEnabled: true }] },
      ],
    });
    return composite !== null;
  };
}
