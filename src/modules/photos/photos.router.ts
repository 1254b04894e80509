import type { AppContext } from '../../context';
import { envelopeA, type AReply } from '../../lib/envelope';
import { ApiRouter } from '../../middleware/api-router';
import { requiredFile, singleFileUpload } from '../../middleware/upload';
import { captureReply, multipartCaptureBody, uploadCaptureBody } from './photos.schemas';
import { uploadCapture, uploadCaptureDataUrl } from './photos.service';

/** Capture uploads: the client's base64 JSON (CONTRACT #26) and multipart for new clients (§21). */
export function photosRouter(ctx: AppContext): ApiRouter<AReply> {
  const r = new ApiRouter('/photos', envelopeA, ctx.resolveAccount);

  r.post(
    '/upload',
    {
      auth: 'user',
      body: uploadCaptureBody,
      storesFile: true,
      reply: { status: 201, data: captureReply },
    },
    async ({ user, body }) => {
      const photo = await uploadCaptureDataUrl(user, body, ctx);
      // The camera path reads data.photo._id, the upload path data._id (§19.5).
      return { status: 201, message: 'Photo uploaded', data: { ...photo, photo } };
    },
  );

  r.post(
    '/',
    {
      auth: 'user',
      upload: singleFileUpload('photo', { maxFileBytes: ctx.config.files.maxUploadBytes }),
      body: multipartCaptureBody,
      reply: { status: 201, data: captureReply },
    },
    async ({ user, body, req }) => {
      const image = requiredFile(req, 'photo');
      const metadata = {
        photoNumber: body.photoNumber,
        isRetake: body.isRetake,
        capturedAt: body.capturedAt,
        source: 'upload' as const,
      };
      const photo = await uploadCapture(
        user,
        { sessionId: body.sessionId, order: body.order, image, metadata },
        ctx,
      );
      return { status: 201, message: 'Photo uploaded', data: { ...photo, photo } };
    },
  );

  return r;
}
