import sharp from 'sharp';
import { AnimationTooLargeError, encodeAnimation, playOrder } from '../../../src/imaging/animate';
import type { RawCanvas } from '../../../src/imaging/compose';
import { findVideoEncoder } from '../../../src/imaging/video';
import { focusCrop } from '../../../src/imaging/focus';

function noiseFrame(width: number, height: number, seed: number): RawCanvas {
  const data = Buffer.alloc(width * height * 3);
  let state = seed;
  for (let i = 0; i < data.length; i += 1) {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    data[i] = state & 255;
  }
  return { data, width, height };
}

describe('playOrder', () => {
  it('plays captures once for a GIF and forward-then-back for a boomerang without repeating the ends', () => {
    expect(playOrder(4, 'gif')).toEqual([0, 1, 2, 3]);
    expect(playOrder(4, 'boomerang')).toEqual([0, 1, 2, 3, 2, 1]);
    expect(playOrder(6, 'boomerang')).toEqual([0, 1, 2, 3, 4, 5, 4, 3, 2, 1]);
    expect(playOrder(2, 'boomerang')).toEqual([0, 1]);
  });
});

describe('encodeAnimation', () => {
  it('steps quality and size down until a noisy animation fits the byte limit', async () => {
    const frames = [1, 2, 3].map((seed) => noiseFrame(240, 360, seed));
    const roomy = await encodeAnimation({ frames, delayMs: 100, format: 'webp', maxBytes: 10e6 });
    const tight = await encodeAnimation({
      frames,
      delayMs: 100,
      format: 'webp',
      maxBytes: Math.floor(roomy.data.length / 3),
    });
    expect(tight.data.length).toBeLessThanOrEqual(Math.floor(roomy.data.length / 3));
    expect(tight.frames).toBe(3);
    const meta = await sharp(tight.data, { animated: true }).metadata();
    expect(meta.pages).toBe(3);
    expect(meta.width).toBe(tight.width);
  });

  it('refuses with AnimationTooLargeError when even the smallest step does not fit', async () => {
    const frames = [1, 2].map((seed) => noiseFrame(200, 200, seed));
    await expect(
      encodeAnimation({ frames, delayMs: 100, format: 'gif', maxBytes: 500 }),
    ).rejects.toBeInstanceOf(AnimationTooLargeError);
  });
});

describe('findVideoEncoder', () => {
  it('finds nothing when turned off or pointed at a missing file', () => {
    expect(findVideoEncoder('off')).toBeNull();
    expect(findVideoEncoder('/nonexistent/ffmpeg')).toBeNull();
  });
});

describe('focusCrop', () => {
  it('gives the centre crop for a centred focus and moves the window to the subject up to the edges', () => {
    const image = { width: 640, height: 480 };
    const slot = { width: 255, height: 375 };
    expect(focusCrop(image, slot, { x: 0.5, y: 0.5 })).toEqual({
      resizedWidth: 500,
      resizedHeight: 375,
      left: 123,
      top: 0,
    });
    expect(focusCrop(image, slot, { x: 0, y: 0.5 }).left).toBe(0);
    expect(focusCrop(image, slot, { x: 1, y: 0.5 }).left).toBe(245);
    expect(focusCrop(image, slot, { x: 0.3, y: 0.9 })).toMatchObject({ left: 23, top: 0 });
    const tall = focusCrop(
      { width: 400, height: 1000 },
      { width: 200, height: 200 },
      { x: 0.5, y: 0.1 },
    );
    expect(tall).toEqual({ resizedWidth: 200, resizedHeight: 500, left: 0, top: 0 });
    expect(
      focusCrop({ width: 400, height: 1000 }, { width: 200, height: 200 }, { x: 0.5, y: 0.6 }).top,
    ).toBe(200);
  });
});
