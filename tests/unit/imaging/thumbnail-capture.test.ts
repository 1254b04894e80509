import sharp from 'sharp';
import { normalizeCapture } from '../../../src/imaging/capture';
import { makeThumbnail } from '../../../src/imaging/thumbnail';
import {
  decompressionBombPng,
  near,
  noisyJpeg,
  orientedJpegWithGps,
  phpFileNamedJpg,
  pixelAt,
  solidImage,
  truncatedJpeg,
} from '../../fixtures/images';
import { faultOf } from '../../helpers/imaging-fault';

describe('makeThumbnail', () => {
  it('fits inside the requested width keeping the aspect ratio, as WebP without metadata', async () => {
    const thumb = await makeThumbnail(await noisyJpeg(1920, 1080), { width: 400, format: 'webp' });
    expect(thumb).toMatchObject({ width: 400, height: 225, format: 'webp' });
    const meta = await sharp(thumb.data).metadata();
    expect(meta).toMatchObject({ format: 'webp', width: 400, height: 225 });
    expect(meta.exif).toBeUndefined();
  });

  it('covers an exact box when a height is given', async () => {
    const thumb = await makeThumbnail(await noisyJpeg(1200, 800), {
      width: 300,
      height: 300,
      format: 'jpeg',
    });
    expect(thumb).toMatchObject({ width: 300, height: 300, format: 'jpeg' });
    expect((await sharp(thumb.data).metadata()).format).toBe('jpeg');
  });

  it('never enlarges a small image', async () => {
    const thumb = await makeThumbnail(await solidImage(120, 80, '#123456', 'png'), {
      width: 400,
      format: 'webp',
    });
    expect(thumb).toMatchObject({ width: 120, height: 80 });
  });

  it('applies the EXIF orientation and drops EXIF and GPS', async () => {
    const thumb = await makeThumbnail(await orientedJpegWithGps(), {
      width: 100,
      format: 'jpeg',
      quality: 95,
    });
    expect(thumb).toMatchObject({ width: 20, height: 40 });
    expect(near(await pixelAt(thumb.data, 10, 5), [255, 0, 0], 40)).toBe(true);
    expect(near(await pixelAt(thumb.data, 10, 35), [0, 0, 255], 40)).toBe(true);
    const meta = await sharp(thumb.data).metadata();
    expect(meta.exif).toBeUndefined();
    expect(meta.orientation).toBeUndefined();
  });

  it('refuses a decompression bomb as too large before decoding it', async () => {
    expect(
      await faultOf(makeThumbnail(decompressionBombPng(), { width: 100, format: 'webp' })),
    ).toBe('too-large');
  });

  it('refuses a truncated JPEG (invalid)', async () => {
    expect(
      await faultOf(makeThumbnail(await truncatedJpeg(), { width: 100, format: 'webp' })),
    ).toBe('invalid');
  });

  it('refuses a PHP file named .jpg (unsupported)', async () => {
    expect(await faultOf(makeThumbnail(phpFileNamedJpg(), { width: 100, format: 'webp' }))).toBe(
      'unsupported',
    );
  });
});

describe('normalizeCapture', () => {
  it('turns the capture upright and strips all metadata including GPS', async () => {
    const original = await orientedJpegWithGps();
    expect((await sharp(original).metadata()).exif).toBeDefined();
    const capture = await normalizeCapture(original);
    expect(capture).toMatchObject({ width: 20, height: 40, format: 'jpeg' });
    const meta = await sharp(capture.data).metadata();
    expect(meta.exif).toBeUndefined();
    expect(meta.orientation).toBeUndefined();
    expect(capture.data.includes(Buffer.from('TestCam'))).toBe(false);
    expect(near(await pixelAt(capture.data, 10, 5), [255, 0, 0], 40)).toBe(true);
  });

  it('bounds the longest side', async () => {
    const capture = await normalizeCapture(await noisyJpeg(3000, 2000), { maxDimension: 1500 });
    expect(capture).toMatchObject({ width: 1500, height: 1000 });
  });

  it('flattens transparency onto white', async () => {
    const png = await sharp({
      create: { width: 10, height: 10, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } },
    })
      .png()
      .toBuffer();
    const capture = await normalizeCapture(png);
    expect(near(await pixelAt(capture.data, 5, 5), [255, 255, 255], 4)).toBe(true);
  });

  it('refuses more pixels than allowed (too-large)', async () => {
    expect(await faultOf(normalizeCapture(await noisyJpeg(400, 400), { maxPixels: 100_000 }))).toBe(
      'too-large',
    );
    expect(await faultOf(normalizeCapture(decompressionBombPng()))).toBe('too-large');
  });

  it('refuses truncated and non-image input', async () => {
    expect(await faultOf(normalizeCapture(await truncatedJpeg()))).toBe('invalid');
    expect(await faultOf(normalizeCapture(phpFileNamedJpg()))).toBe('unsupported');
  });
});
