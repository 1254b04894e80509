import type { Request, RequestHandler } from 'express';
import multer from 'multer';
import { AppError } from '../lib/errors';

export interface UploadLimits {
  maxFileBytes: number;
  /** Largest text field; data URLs may arrive as text fields of a multipart body. */
  maxFieldBytes?: number;
  maxFields?: number;
}

/**
 * Multipart upload kept in memory: files are checked by their bytes (imaging/probe) before
 * anything is written, so nothing lands on disk for a refused upload. Limits make multer stop
 * reading early and answer 413 through the error handler.
 */
function memoryUpload(limits: UploadLimits, files: number): multer.Multer {
  return multer({
    storage: multer.memoryStorage(),
    limits: {
      fileSize: limits.maxFileBytes,
      files,
      fields: limits.maxFields ?? 20,
      fieldSize: limits.maxFieldBytes ?? 64 * 1024,
    },
  });
}

/** One file in `field`. */
export function singleFileUpload(field: string, limits: UploadLimits): RequestHandler {
  return memoryUpload(limits, 1).single(field);
}

/** At most one file in each of `fields`. */
export function namedFilesUpload(fields: readonly string[], limits: UploadLimits): RequestHandler {
  return memoryUpload(limits, fields.length).fields(fields.map((name) => ({ name, maxCount: 1 })));
}

/** The bytes of a singleFileUpload's file; a request without one is a 400 naming the field. */
export function requiredFile(req: Request, field: string): Buffer {
  if (!req.file) throw AppError.badRequest(`No ${field} uploaded (multipart field "${field}")`);
  return req.file.buffer;
}
