import Joi from 'joi';
import { objectId, replyDate } from '../../lib/schemas';
import type { CaptureDto } from './photos.mapper';

export interface CaptureMetadataInput {
  capturedAt?: Date;
  uploadedAt?: Date;
  photoNumber?: number;
  isRetake?: boolean;
  source?: 'camera' | 'upload';
}

const captureMetadata = Joi.object<CaptureMetadataInput, true>({
  capturedAt: Joi.date().iso(),
  uploadedAt: Joi.date().iso(),
  photoNumber: Joi.number().integer().min(1).max(99),
  isRetake: Joi.boolean(),
  source: Joi.string().valid('camera', 'upload'),
});

export interface UploadCaptureBody {
  sessionId: string;
  photoUrl: string;
  order: number;
  metadata: CaptureMetadataInput;
}

export const uploadCaptureBody = Joi.object<UploadCaptureBody, true>({
  sessionId: objectId.required(),
  photoUrl: Joi.string()
    .required()
    .messages({ 'any.required': 'photoUrl (a base64 data URL) is required' }),
  order: Joi.number().integer().min(1).max(99).required(),
  metadata: captureMetadata.default({}),
});

export interface MultipartCaptureBody {
  sessionId: string;
  order: number;
  photoNumber?: number;
  isRetake?: boolean;
  capturedAt?: Date;
}

// Multipart fields arrive as strings; metadata may come as a JSON string or as flat fields.
export const multipartCaptureBody = Joi.object<MultipartCaptureBody, true>({
  sessionId: objectId.required(),
  order: Joi.number().integer().min(1).max(99).required(),
  photoNumber: Joi.number().integer().min(1).max(99),
  isRetake: Joi.boolean().truthy('true').falsy('false'),
  capturedAt: Joi.date().iso(),
});

/** A stored capture (CaptureDto); `photo` repeats it (the camera path reads data.photo._id). */
const captureFields = {
  _id: objectId.required(),
  sessionId: objectId.required(),
  userId: objectId.required(),
  photoUrl: Joi.string().required(),
  thumbnailUrl: Joi.string().allow(null).required(),
  order: Joi.number().integer().required(),
  slot: Joi.number().integer().allow(null).required(),
  metadata: Joi.object().unknown(true).required(),
  createdAt: replyDate,
  updatedAt: replyDate,
};

export const captureReply = Joi.object<CaptureDto & { photo: CaptureDto }, true>({
  ...captureFields,
  photo: Joi.object<CaptureDto, true>(captureFields).required(),
});
