import sharp from 'sharp';
import request from 'supertest';
import { prepareFrame, renderComposite } from '../../src/imaging/compose';
import { CapturedPhotoModel } from '../../src/models';
import { useTestContext } from '../helpers/context';
import { eventually } from '../helpers/eventually';
import { toDataUrl } from '../fixtures/images';
import { FOUR_SLOTS, FRAME_CANVAS, framePng } from '../fixtures/frames';
import { createTemplate } from '../factories/sessions.factory';
import { createUser, signIn } from '../factories/users.factory';
import { binaryParser } from '../helpers/http-parsers';

const ctx = useTestContext('focus_crop');

/**
 * A 640×480 photo of a plain grey wall with a "person" (skin-toned head, red-and-skin striped
 * body) standing at `centreX`. Cover-fitted into a 255×375 slot, a centre crop keeps only
 * x ≈ 157–483 of it, so a person at either edge is cut away entirely.
 */
function personAt(centreX: number): Promise<Buffer> {
  const body = Array.from({ length: 40 }, (_, i) => {
    const x = centreX - 50 + (i % 5) * 20;
    const y = 180 + Math.floor(i / 5) * 25;
    return `<rect x="${x}" y="${y}" width="14" height="16" fill="${i % 2 ? '#e8b090' : '#d01010'}"/>`;
  }).join('');
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="640" height="480">` +
    `<rect width="640" height="480" fill="#8a8f94"/>${body}` +
    `<circle cx="${centreX}" cy="130" r="45" fill="#f0c8a0"/></svg>`;
  return sharp(Buffer.from(svg)).jpeg({ quality: 92 }).toBuffer();
}

/** Pixels of the person's red stripes inside a slot of a rendered composite. */
async function redPixelsInSlot(jpeg: Buffer, slot: (typeof FOUR_SLOTS)[number]): Promise<number> {
  const { data, info } = await sharp(jpeg).raw().toBuffer({ resolveWithObject: true });
  let count = 0;
  for (let y = slot.y; y < slot.y + slot.height; y += 1) {
    for (let x = slot.x; x < slot.x + slot.width; x += 1) {
      const o = (y * info.width + x) * info.channels;
      if (data[o]! > 150 && data[o + 1]! < 70 && data[o + 2]! < 70) count += 1;
    }
  }
  return count;
}

it('keeps a person at the left or right edge of a capture inside the slot, where a centre crop loses them', async () => {
  ctx.startWorkers();
  const user = await signIn(ctx, await createUser());
  const template = await createTemplate(ctx.storage);
  const created = await request(ctx.app)
    .post('/api/sessions')
    .set('Authorization', user.auth)
    .send({ sessionName: 'Edges', templateId: String(template._id) });
  const sessionId: string = created.body.data._id;
  const photos = [await personAt(60), await personAt(580)];
  for (const [index, photo] of photos.entries()) {
    const res = await request(ctx.app)
      .post('/api/photos/upload')
      .set('Authorization', user.auth)
      .send({ sessionId, photoUrl: toDataUrl(photo), order: index + 1 });
    expect(res.status).toBe(201);
  }

  // The normalise job stores each capture's focus once.
  const captures = await eventually(async () => {
    const rows = await CapturedPhotoModel.find({ sessionId }).sort({ slot: 1 }).lean();
    return rows.length === 2 && rows.every((r) => r.focus) ? rows : null;
  }, 30_000);
  expect(captures[0]!.focus!.x).toBeLessThan(0.25);
  expect(captures[1]!.focus!.x).toBeGreaterThan(0.75);

  await request(ctx.app)
    .post(`/api/sessions/${sessionId}/composite`)
    .set('Authorization', user.auth)
    .expect(202);
  const status = await eventually(async () => {
    const res = await request(ctx.app)
      .get(`/api/sessions/${sessionId}/composite`)
      .set('Authorization', user.auth);
    expect(res.body.data.status).not.toBe('failed');
    return res.body.data.status === 'completed' ? res.body.data : null;
  }, 30_000);
  const image = await request(ctx.app)
    .get(new URL(status.composite.compositeUrl).pathname)
    .buffer(true)
    .parse(binaryParser);
  const rendered = image.body as Buffer;
  const [left, right] = [FOUR_SLOTS[0]!, FOUR_SLOTS[1]!];
  const withFocus = [await redPixelsInSlot(rendered, left), await redPixelsInSlot(rendered, right)];

  // The same captures, frame and slots with centre crops (no focus).
  const frame = await prepareFrame(await framePng(), FRAME_CANVAS);
  const stored = await Promise.all(captures.map((c) => ctx.storage.read(c.photoKey as string)));
  const centred = await renderComposite({ frame, slots: FOUR_SLOTS, photos: stored });
  const withCentre = [
    await redPixelsInSlot(centred.jpeg, left),
    await redPixelsInSlot(centred.jpeg, right),
  ];

  // 20 red stripes of 14×16 px at 0.78 scale ≈ 2,700 px per person.
  expect(withFocus[0]).toBeGreaterThan(1500);
  expect(withFocus[1]).toBeGreaterThan(1500);
  expect(withCentre).toEqual([0, 0]);
});
