import { writeFile } from 'node:fs/promises';
import Joi from 'joi';
import mongoose from 'mongoose';
import { MulterError } from 'multer';
import { ImagingError } from '../../src/imaging/imaging-errors';
import { envelopeA, envelopeAI, envelopeP, envelopeS, envelopeUF } from '../../src/lib/envelope';
import { AppError } from '../../src/lib/errors';
import { toAppError } from '../../src/lib/error-mapping';

describe('toAppError', () => {
  it('keeps an AppError as it is', () => {
    const error = AppError.conflict('taken');
    expect(toAppError(error)).toBe(error);
  });

  it('maps a joi validation error to 400 VALIDATION_FAILED with field details', () => {
    const { error } = Joi.object({ email: Joi.string().email().required() }).validate(
      {},
      { abortEarly: false },
    );
    const mapped = toAppError(error);
    expect(mapped).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
    expect(mapped.details).toEqual([{ field: 'email', message: '"email" is required' }]);
  });

  it('maps a mongoose ValidationError to 400 with one detail per path', async () => {
    const Model = mongoose.model(
      'MappingProbe',
      new mongoose.Schema({ name: { type: String, required: true } }),
    );
    const error: unknown = await new Model({}).validate().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(mongoose.Error.ValidationError);
    expect(toAppError(error)).toMatchObject({
      status: 400,
      code: 'VALIDATION_FAILED',
      details: [{ field: 'name' }],
    });
  });

  it('maps a mongoose CastError to 400', () => {
    const error = new mongoose.Error.CastError('ObjectId', 'nope', '_id');
    expect(toAppError(error)).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
  });

  it('maps a duplicate key error (11000) to 409 CONFLICT naming the field', () => {
    const error = Object.assign(new Error('E11000 duplicate key'), {
      code: 11000,
      keyPattern: { email: 1 },
      keyValue: { email: 'a@b.c' },
    });
    expect(toAppError(error)).toMatchObject({
      status: 409,
      code: 'CONFLICT',
      message: 'Duplicate value for email',
    });
  });

  it('maps multer file-size errors to 413 and other multer errors to 400', () => {
    expect(toAppError(new MulterError('LIMIT_FILE_SIZE', 'image'))).toMatchObject({
      status: 413,
      code: 'PAYLOAD_TOO_LARGE',
    });
    expect(toAppError(new MulterError('LIMIT_UNEXPECTED_FILE', 'other'))).toMatchObject({
      status: 400,
      code: 'VALIDATION_FAILED',
    });
  });

  it('maps body-parser errors: too large → 413, malformed JSON → 400', () => {
    expect(
      toAppError(Object.assign(new Error('too big'), { type: 'entity.too.large', status: 413 })),
    ).toMatchObject({ status: 413 });
    expect(
      toAppError(
        Object.assign(new Error('bad json'), { type: 'entity.parse.failed', status: 400 }),
      ),
    ).toMatchObject({
      status: 400,
      message: 'Invalid JSON body',
    });
  });

  it('maps an imaging refusal to its 4xx: invalid → 400, too-large → 413, unsupported → 415', () => {
    const problems = [{ field: 'svg', message: 'script elements are not allowed' }];
    expect(
      toAppError(ImagingError.invalid('The SVG contains unsafe content', problems)),
    ).toMatchObject({ status: 400, code: 'VALIDATION_FAILED', details: problems });
    expect(toAppError(ImagingError.tooLarge('The image has too many pixels'))).toMatchObject({
      status: 413,
      code: 'PAYLOAD_TOO_LARGE',
      message: 'The image has too many pixels',
    });
    expect(toAppError(ImagingError.unsupported())).toMatchObject({
      status: 415,
      code: 'UNSUPPORTED_MEDIA',
    });
  });

  it('maps a Redis outage to 503 SERVICE_UNAVAILABLE', () => {
    expect(
      toAppError(new Error("Stream isn't writeable and enableOfflineQueue options is false")),
    ).toMatchObject({
      status: 503,
      code: 'SERVICE_UNAVAILABLE',
    });
  });

  it('maps an unreachable MongoDB (server selection, buffering timeout) to 503', () => {
    const selection = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), {
      name: 'MongooseServerSelectionError',
    });
    const buffering = new Error('Operation `users.findOne()` buffering timed out after 10000ms');
    for (const error of [selection, buffering])
      expect(toAppError(error)).toMatchObject({ status: 503, code: 'SERVICE_UNAVAILABLE' });
  });

  it('maps a write refused for lack of space (ENOSPC, EDQUOT, EFBIG) to 507 INSUFFICIENT_STORAGE', async () => {
    // A real ENOSPC from the kernel: /dev/full refuses every write.
    const full: unknown = await writeFile('/dev/full', 'x').catch((e: unknown) => e);
    expect(full).toMatchObject({ code: 'ENOSPC' });
    const quota = Object.assign(new Error("EDQUOT: disk quota exceeded, write '/srv/up/a.tmp'"), {
      code: 'EDQUOT',
    });
    const tooBig = Object.assign(new Error("EFBIG: file too large, write '/srv/up/b.tmp'"), {
      code: 'EFBIG',
    });
    for (const error of [full, quota, tooBig]) {
      const mapped = toAppError(error);
      expect(mapped).toMatchObject({ status: 507, code: 'INSUFFICIENT_STORAGE' });
      expect(mapped.message).not.toMatch(/\/dev|\/srv|ENOSPC|EDQUOT|EFBIG/);
    }
  });

  it('maps anything else to a generic 500 that reveals nothing', () => {
    const mapped = toAppError(new Error('ENOENT: /srv/secret/path'));
    expect(mapped).toMatchObject({
      status: 500,
      code: 'INTERNAL',
      message: 'Internal server error',
    });
  });
});

describe('envelope families render errors', () => {
  const error = new AppError(
    400,
    'VALIDATION_FAILED',
    'Bad thing',
    [{ field: 'x', message: 'y' }],
    { payment: { _id: '1' } },
  );

  it('renders family A as {success:false, message, code, details} without a second copy', () => {
    const body = envelopeA.renderError(error);
    expect(body).toMatchObject({
      success: false,
      message: 'Bad thing',
      code: 'VALIDATION_FAILED',
      details: [{ field: 'x' }],
    });
    expect(body).not.toHaveProperty('errors');
  });

  it('renders the payment family with the key `error` and no `success`', () => {
    const body = envelopeP.renderError(error);
    expect(body).toMatchObject({ error: 'Bad thing', payment: { _id: '1' } });
    expect(body).not.toHaveProperty('success');
  });

  it('renders the submissions and AI families with success:false and `error`', () => {
    expect(envelopeS.renderError(error)).toMatchObject({ success: false, error: 'Bad thing' });
    expect(envelopeAI.renderError(error)).toMatchObject({
      success: false,
      error: 'Bad thing',
      message: 'Bad thing',
    });
  });

  it('renders the user-frames family as {error} only', () => {
    const body = envelopeUF.renderError(error);
    expect(body).toMatchObject({ error: 'Bad thing', code: 'VALIDATION_FAILED' });
    expect(body).not.toHaveProperty('success');
  });
});
