import mongoose from 'mongoose';
import type { JobQueue } from '../../jobs/job-queue';
import type { AuthUser } from '../../lib/auth-user';
import { AppError } from '../../lib/errors';
import type { FileStorage } from '../../lib/storage';
import { GalleryExportModel } from '../../models';
import { isDuplicateKey } from '../photos/photos.service';
import { toExportDto, type ExportDto, type ExportRecord } from './exports.mapper';

export interface ExportDeps {
  jobs: JobQueue;
  storage: FileStorage;
}

/**
 * Starts a ZIP export of the caller's gallery. One export may be in flight per user: the unique
 * partial index on `inFlight` decides between concurrent requests, and the losers get 409 with the
 * export that is running. An in-flight export whose job BullMQ lost or failed on its own is
 * settled as failed first, so it cannot block the user for good.
 */
export async function requestExport(actor: AuthUser, deps: ExportDeps): Promise<ExportDto> {
  for (let attempt = 0; attempt < 3; attempt += 1) {
    let created: ExportRecord;
    try {
      const doc = await GalleryExportModel.create({
        userId: actor.id,
        status: 'queued',
        inFlight: true,
      });
      created = doc.toObject() as ExportRecord;
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
      const running = (await GalleryExportModel.findOne({
        userId: actor.id,
        inFlight: true,
      }).lean()) as ExportRecord | null;
      if (!running) continue;
      if (await settleLostJob(running, deps.jobs)) continue;
      throw AppError.conflict('An export of your gallery is already in progress', {
        export: toExportDto(running, deps.storage),
      });
    }
    const jobId = `export-${String(created._id)}`;
    await GalleryExportModel.updateOne({ _id: created._id }, { $set: { jobId } });
    try {
      await deps.jobs.enqueue('export-gallery', { exportId: String(created._id) }, { jobId });
    } catch (error) {
      await GalleryExportModel.updateOne(
        { _id: created._id },
        {
          $set: { status: 'failed', error: 'The export could not be queued; try again' },
          $unset: { inFlight: 1 },
        },
      );
      throw error;
    }
    return toExportDto({ ...created, jobId }, deps.storage);
  }
  throw AppError.conflict('The export is being requested concurrently; try again');
}

export async function getExport(
  actor: AuthUser,
  exportId: string,
  deps: ExportDeps,
): Promise<ExportDto> {
  const record = (await GalleryExportModel.findOne({
    _id: exportId,
    userId: actor.id,
  }).lean()) as ExportRecord | null;
  if (!record) throw AppError.notFound('Export not found');
  if (record.inFlight) await settleLostJob(record, deps.jobs);
  const current = (await GalleryExportModel.findById(exportId).lean()) as ExportRecord | null;
  if (!current) throw AppError.notFound('Export not found');
  return toExportDto(current, deps.storage);
}

export async function listExports(actor: AuthUser, deps: ExportDeps): Promise<ExportDto[]> {
  const rows = (await GalleryExportModel.find({ userId: actor.id })
    .sort({ createdAt: -1, _id: -1 })
    .limit(20)
    .lean()) as ExportRecord[];
  return rows.map((row) => toExportDto(row, deps.storage));
}

/** True when the in-flight export's job is gone or failed, and it was marked failed here. */
async function settleLostJob(record: ExportRecord, jobs: JobQueue): Promise<boolean> {
  // Created a moment ago: its job id is being written or its job added (the id is stored just
  // before the enqueue), so a job not found yet is not lost. Older ones without a job never ran.
  const recent = Date.now() - (record.createdAt?.getTime() ?? Date.now()) < 60_000;
  if (!record.jobId) {
    if (recent) return false;
  } else {
    const state = (await jobs.status('export-gallery', record.jobId))?.state;
    if (state === undefined ? recent : state !== 'failed') return false;
  }
  const settled = await GalleryExportModel.updateOne(
    { _id: record._id, inFlight: true, status: mongoose.trusted({ $in: ['queued', 'active'] }) },
    {
      $set: { status: 'failed', error: 'The export could not be finished; try again' },
      $unset: { inFlight: 1 },
    },
  );
  return settled.modifiedCount === 1;
}
