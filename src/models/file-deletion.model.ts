import mongoose, { Schema, type HydratedDocument, type InferSchemaType } from 'mongoose';
import { jsonWithout } from './schema-helpers';

/**
 * A stored file whose removal failed after its document change committed. The
 * sweep-file-deletions job retries it until the store confirms, so no file is orphaned.
 */
const fileDeletionSchema = new Schema(
  {
    key: { type: String, required: true, trim: true },
    attempts: { type: Number, required: true, default: 0, min: 0 },
    lastError: { type: String, trim: true, maxlength: 500, default: '' },
  },
  { timestamps: true, strict: true, toJSON: jsonWithout() },
);

fileDeletionSchema.index({ key: 1 }, { unique: true });

export type FileDeletion = InferSchemaType<typeof fileDeletionSchema>;
export type FileDeletionDocument = HydratedDocument<FileDeletion>;
export const FileDeletionModel = mongoose.model('FileDeletion', fileDeletionSchema);
