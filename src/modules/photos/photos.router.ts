import { singleFileUpload } from '../../middleware/upload';
import { Router } from 'express';
import type { AppContext } from '../../context';
import { sendData } from '../../middleware/legacy-routing';
import { AppError } from '../../lib/errors';
import { authenticate, currentUser } from '../../middleware/legacy-routing';
import { validate, validInput } from '../../middleware/legacy-routing';
import {
  multipartCaptureBody,
  uploadCaptureBody,
  type MultipartCaptureBody,
  type UploadCaptureBody,
} from './photos.schemas';
import { uploadCapture, uploadCaptureDataUrl } from './photos.service';

/** Capture uploads: the client's base64 JSON (CONTRACT #26) and multipart for new clients (§21). */
export function photosRouter(ctx: AppContext): Router {
  const router = Router();

  router.post(
    '/upload',
    authenticate(ctx.config),
    validate({ body: uploadCaptureBody }),
    async (req, res) => {
      const { body } = validInput<UploadCaptureBody>(res.locals);
      const photo = await uploadCaptureDataUrl(currentUser(req), body, ctx);
      // The camera path reads data.photo._id, the upload path data._id (§19.5).
      sendData(res, { ...photo, photo }, { status: 201, message: 'Photo uploaded' });
    },
  );

  router.post(
    '/',
    authenticate(ctx.config),
    singleFileUpload('photo', { maxFileBytes: ctx.config.files.maxUploadBytes }),
    validate({ body: multipartCaptureBody }),
    async (req, res) => {
      const { body } = validInput<MultipartCaptureBody>(res.locals);
      if (!req.file) throw AppError.badRequest('No photo uploaded (multipart field "photo")');
      const metadata = {
        photoNumber: body.photoNumber,
        isRetake: body.isRetake,
        capturedAt: body.capturedAt,
        source: 'upload' as const,
      };
      const photo = await uploadCapture(
        currentUser(req),
        { sessionId: body.sessionId, order: body.order, image: req.file.buffer, metadata },
        ctx,
      );
      sendData(res, { ...photo, photo }, { status: 201, message: 'Photo uploaded' });
    },
  );

  return router;
}
