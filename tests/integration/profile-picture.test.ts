import sharp from 'sharp';
import request from 'supertest';
import { processProfilePicture } from '../../src/jobs/processors/process-profile-picture.processor';
import { UserModel } from '../../src/models/user.model';
import { appWithOutbox } from '../helpers/outbox';
import { noisyJpeg, orientedJpegWithGps, phpFileNamedJpg, solidImage } from '../fixtures/images';
import { jobContextOf, useTestContext } from '../helpers/context';
import { userAuth } from '../helpers/actor';
import { eventually } from '../helpers/eventually';

const ctx = useTestContext('profile_picture', { RATE_LIMIT_ENABLED: 'false' });
const { app } = appWithOutbox(ctx);

const pathOf = (url: string) => new URL(url).pathname;

describe('profile picture (#10, #11)', () => {
  it('shows the upload at once through a private signed URL, then the job publishes a 400×400 JPEG without metadata and removes the original', async () => {
    const { user, auth } = await userAuth(ctx);
    const res = await request(app())
      .post('/api/users/profile-picture')
      .set(auth)
      .attach('profilePicture', await orientedJpegWithGps(), {
        filename: 'me.jpg',
        contentType: 'image/jpeg',
      });
    expect(res.status).toBe(200);
    expect(res.body.success).toBe(true);
    const uploaded: string = res.body.data.profilePicture;
    expect(uploaded).toMatch(
      /^http:\/\/api\.test\/uploads\/s\/\d+\/[\w-]+\/incoming\/[0-9a-f]{2}\/[0-9a-f]{32}\.jpg$/,
    );
    expect((await request(app()).get(pathOf(uploaded))).status).toBe(200);
    // The original may carry GPS tags: it is never reachable from a plain public URL.
    const incomingKey = ctx.storage.keyFromUrl(uploaded) ?? '';
    expect((await request(app()).get(`/uploads/${incomingKey}`)).status).toBe(404);

    ctx.startWorkers();
    const avatarUrl = await eventually(async () => {
      const stored = await UserModel.findById(user._id).lean();
      return stored?.profilePicture && stored.profilePicture !== uploaded
        ? stored.profilePicture
        : undefined;
    });
    const file = await request(app()).get(pathOf(avatarUrl)).buffer(true);
    expect(file.status).toBe(200);
    const meta = await sharp(file.body as Buffer).metadata();
    expect(meta).toMatchObject({ format: 'jpeg', width: 400, height: 400 });
    expect(meta.exif).toBeUndefined();
    expect(avatarUrl).toMatch(
      /^http:\/\/api\.test\/uploads\/profiles\/[0-9a-f]{2}\/[0-9a-f]{32}\.jpg$/,
    );
    expect((await request(app()).get(pathOf(uploaded))).status).toBe(404);

    const second = await request(app())
      .post('/api/users/profile-picture')
      .set(auth)
      .attach('profilePicture', await solidImage(300, 500, '#00ff00', 'png'), 'new.png');
    expect(second.status).toBe(200);
    await eventually(async () =>
      (await request(app()).get(pathOf(avatarUrl))).status === 404 ? true : undefined,
    );
  });

  it('answers 400 without a file, 400 for a file that is not an image (CONTRACT #10), 413 over 5 MB', async () => {
    const { auth } = await userAuth(ctx);
    expect((await request(app()).post('/api/users/profile-picture').set(auth)).status).toBe(400);
    const php = await request(app())
      .post('/api/users/profile-picture')
      .set(auth)
      .attach('profilePicture', phpFileNamedJpg(), {
        filename: 'shell.jpg',
        contentType: 'image/jpeg',
      });
    expect(php.status).toBe(400);
    expect(php.body.success).toBe(false);
    const text = await request(app())
      .post('/api/users/profile-picture')
      .set(auth)
      .attach('profilePicture', Buffer.from('just some notes, not a picture\n'), {
        filename: 'notes.txt',
        contentType: 'text/plain',
      });
    expect(text.status).toBe(400);
    expect(text.body).toMatchObject({ success: false, message: expect.any(String) });
    const big = await request(app())
      .post('/api/users/profile-picture')
      .set(auth)
      .attach('profilePicture', Buffer.alloc(5 * 1024 * 1024 + 10, 1), 'big.jpg');
    expect(big.status).toBe(413);
  });

  it('deletes the picture, then answers 400 when there is none', async () => {
    const { user, auth } = await userAuth(ctx, {
      profilePicture: 'https://lh3.googleusercontent.test/a/x.jpg',
    });
    const res = await request(app()).delete('/api/users/profile-picture').set(auth);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ success: true, message: expect.any(String) });
    expect((await UserModel.findById(user._id).lean())?.profilePicture).toBe('');
    const again = await request(app()).delete('/api/users/profile-picture').set(auth);
    expect(again.status).toBe(400);
    expect(again.body.message).toBe('No profile picture to delete');
  });

  it('when the picture changed before the job ran, then the job leaves the newer one and cleans up', async () => {
    const { user } = await userAuth(ctx);
    const stored = await ctx.storage.save('incoming', 'jpg', await noisyJpeg(64, 64));
    await UserModel.updateOne(
      { _id: user._id },
      { $set: { profilePicture: 'https://elsewhere.test/newer.jpg' } },
    );
    const context = jobContextOf(ctx, { jobId: 't' });
    const result = await processProfilePicture(
      { userId: String(user._id), sourceKey: stored.key },
      context,
    );
    expect(result.skipped).toBeDefined();
    expect((await UserModel.findById(user._id).lean())?.profilePicture).toBe(
      'https://elsewhere.test/newer.jpg',
    );
    expect(await ctx.storage.exists(stored.key)).toBe(false);
  });
});
