import { UnrecoverableError } from 'bullmq';
import mongoose from 'mongoose';
import { Readable, Transform } from 'node:stream';
import { ZipFile } from 'yazl';
import type { JobContext } from '../../jobs/job-context';
import { DEFAULT_JOB_OPTIONS } from '../../jobs/queues';
import { FileStorage } from '../../lib/storage';
import { FinalCompositeModel, GalleryExportModel, SessionAnimationModel } from '../../models';
import { notifyUser } from '../notifications/notifications.service';
import { exportFileKey } from './exports.mapper';

interface Entry {
  key: string;
  name: string;
  mtime: Date;
}

type Result =
  | {
      exportId: string;
      items: number;
      bytes: number;
      /** Most bytes read from storage but not yet written to the archive at any moment. */
      peakBufferedBytes: number;
    }
  | { skipped: string };

/**
 * Writes the user's composites and finished animations into one ZIP, streamed from storage into
 * storage: entries are opened one at a time when yazl reaches them (lazy streams) and stored
 * without recompression (JPEG/WebP/GIF/MP4 do not shrink), so memory does not grow with the
 * gallery. Done and the notification with the signed, expiring link happen in one transaction,
 * so a retried job never announces twice. The file key derives from the export id.
 */
export async function exportGalleryJob(
  payload: { exportId: string },
  context: JobContext,
): Promise<Result> {
  if (!mongoose.isValidObjectId(payload.exportId)) {
    throw new UnrecoverableError('export-gallery: exportId is required');
  }
  const record = await GalleryExportModel.findById(payload.exportId).lean();
  if (!record) throw new UnrecoverableError('The export no longer exists');
  if (record.status === 'completed') return { skipped: 'already exported' };
  if (record.jobId && record.jobId !== context.jobId) return { skipped: 'another job owns it' };

  const { storage, config } = context;
  const fileKey = exportFileKey(storage, payload.exportId);
  const filter = { _id: payload.exportId, inFlight: true };
  try {
    await GalleryExportModel.updateOne(filter, { $set: { status: 'active', progress: 1 } });
    await context.reportProgress(1);
    await removeExpiredExports(record.userId, storage);

    const entries = await galleryEntries(record.userId, storage);
    const zip = new ZipFile();
    let done = 0;
    let reported = 0;
    const flow = { read: 0, written: 0, peak: 0 };
    for (const entry of entries) {
      zip.addReadStreamLazy(entry.name, { compress: false, mtime: entry.mtime }, (callback) => {
        storage.open(entry.key).then(
          (file) => {
            if (!file)
              return callback(
                new Error(`${entry.key} vanished during the export`),
                Readable.from([]),
              );
            file.body.on('data', (chunk: Buffer) => {
              flow.read += chunk.length;
              flow.peak = Math.max(flow.peak, flow.read - flow.written);
            });
            file.body.once('end', () => {
              done += 1;
              const progress = 5 + Math.floor((90 * done) / entries.length);
              if (progress >= reported + 5) {
                reported = progress;
                void context.reportProgress(progress).catch(() => undefined);
              }
            });
            callback(null, file.body);
          },
          (error: unknown) => callback(error, Readable.from([])),
        );
      });
    }
    zip.end();
    // Archive bytes include headers, so `read - written` can only overstate what is held.
    const body = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        flow.written += chunk.length;
        callback(null, chunk);
      },
    });
    // yazl reports a failed entry on the ZipFile, not on its output: end the write with it.
    zip.once('error', (error: Error) => body.destroy(error));
    zip.outputStream.pipe(body);
    const saved = await storage.saveAt(fileKey, body);

    const now = Date.now();
    const expiresAt = new Date(now + config.exports.linkTtlSeconds * 1000);
    const link = storage.signedUrl(fileKey, now, config.exports.linkTtlSeconds);
    const finished = await mongoose.connection.transaction(async (session) => {
      const updated = await GalleryExportModel.updateOne(
        filter,
        {
          $set: {
            status: 'completed',
            progress: 100,
            fileKey,
            fileSize: saved.size,
            itemCount: entries.length,
            expiresAt,
            error: null,
          },
          $unset: { inFlight: 1 },
        },
        { session },
      );
      if (updated.modifiedCount !== 1) return false;
      await notifyUser(
        record.userId,
        {
          title: 'Your gallery export is ready',
          message: `${entries.length} file(s) in one ZIP. The download link works until ${expiresAt.toISOString()}.`,
          type: 'system',
          actionUrl: link,
          data: { exportId: payload.exportId, itemCount: entries.length, expiresAt },
        },
        session,
      );
      return true;
    });
    if (!finished) return { skipped: 'the export was settled meanwhile' };
    await context.reportProgress(100);
    context.logger.info(
      { items: entries.length, bytes: saved.size, peakBufferedBytes: flow.peak },
      'gallery exported',
    );
    return {
      exportId: payload.exportId,
      items: entries.length,
      bytes: saved.size,
      peakBufferedBytes: flow.peak,
    };
  } catch (error) {
    const failure = error instanceof Error ? error : new Error(String(error));
    const final =
      failure instanceof UnrecoverableError ||
      context.attemptsMade + 1 >= DEFAULT_JOB_OPTIONS.attempts;
    if (final) {
      await storage.remove(fileKey);
      await GalleryExportModel.updateOne(filter, {
        $set: { status: 'failed', error: 'The export could not be written; try again' },
        $unset: { inFlight: 1 },
      });
    }
    throw failure;
  }
}

/** Every composite file and finished animation the user has, oldest first, that is in storage. */
async function galleryEntries(userId: string, storage: FileStorage): Promise<Entry[]> {
  const entries: Entry[] = [];
  const composites = FinalCompositeModel.find({
    userId,
    compositeKey: mongoose.trusted({ $type: 'string' }),
  })
    .sort({ createdAt: 1, _id: 1 })
    .select('compositeKey createdAt')
    .lean()
    .cursor();
  for await (const composite of composites) {
    const key = composite.compositeKey as string;
    if (!FileStorage.isValidKey(key) || !(await storage.exists(key))) continue;
    const created = composite.createdAt ?? new Date();
    entries.push({
      key,
      name: `composites/${day(created)}-${String(composite._id)}${extensionOf(key)}`,
      mtime: created,
    });
  }
  const animations = SessionAnimationModel.find({ userId, status: 'completed' })
    .sort({ createdAt: 1, _id: 1 })
    .select('fileKey sessionId kind createdAt')
    .lean()
    .cursor();
  for await (const animation of animations) {
    const key = animation.fileKey;
    if (!key || !FileStorage.isValidKey(key) || !(await storage.exists(key))) continue;
    const created = animation.createdAt ?? new Date();
    entries.push({
      key,
      name: `animations/${day(created)}-${animation.sessionId}-${animation.kind}${extensionOf(key)}`,
      mtime: created,
    });
  }
  return entries;
}

/** Earlier exports whose links have expired lose their files (the records stay as history). */
async function removeExpiredExports(userId: string, storage: FileStorage): Promise<void> {
  const expired = await GalleryExportModel.find({
    userId,
    fileKey: mongoose.trusted({ $type: 'string' }),
    expiresAt: mongoose.trusted({ $lte: new Date() }),
  })
    .select('fileKey')
    .lean();
  if (expired.length === 0) return;
  await storage.remove(...expired.map((e) => e.fileKey));
  await GalleryExportModel.updateMany(
    { _id: mongoose.trusted({ $in: expired.map((e) => e._id) }) },
    { $set: { fileKey: null } },
  );
}

function day(date: Date): string {
  return date.toISOString().slice(0, 10);
}

function extensionOf(key: string): string {
  return key.slice(key.lastIndexOf('.'));
}
