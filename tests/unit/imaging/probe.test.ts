import sharp from 'sharp';
import { normalizeUpload } from '../../../src/imaging/capture';
import { decodeDataUrl, probeImage } from '../../../src/imaging/probe';
import {
  corruptPng,
  decompressionBombPng,
  jpegWithExifGps,
  noisyJpeg,
  orientedJpegWithGps,
  phpFileNamedJpg,
  solidImage,
  truncatedJpeg,
} from '../../fixtures/images';
import { CLEAN, leakedMetadata } from '../../helpers/image-metadata';
import { ImagingError } from '../../../src/imaging/imaging-errors';
import { faultOf } from '../../helpers/imaging-fault';

const LIMITS = {
  maxBytes: 2_000_000,
  maxPixels: 25_000_000,
  formats: ['jpeg', 'png', 'webp'],
} as const;

describe('probeImage (the request-path check, no decode)', () => {
  it('reads the real type and the upright size from the header', async () => {
    const info = await probeImage(await orientedJpegWithGps(), LIMITS);
    expect(info).toMatchObject({
      format: 'jpeg',
      width: 40,
      height: 20,
      orientedWidth: 20,
      orientedHeight: 40,
    });
    const png = await probeImage(await solidImage(30, 10, '#ff0000', 'png'), LIMITS);
    expect(png).toMatchObject({ format: 'png', width: 30, height: 10 });
    const webp = await probeImage(await solidImage(8, 8, '#00ff00', 'webp'), LIMITS);
    expect(webp.format).toBe('webp');
  });

  it('refuses what the header or the end marker gives away', async () => {
    expect(await faultOf(probeImage(phpFileNamedJpg(), LIMITS))).toBe('unsupported');
    expect(await faultOf(probeImage(decompressionBombPng(), LIMITS))).toBe('too-large');
    expect(await faultOf(probeImage(await truncatedJpeg(), LIMITS))).toBe('invalid');
    const png = await solidImage(30, 10, '#ff0000', 'png');
    expect(await faultOf(probeImage(png.subarray(0, png.length - 20), LIMITS))).toBe('invalid');
    const webp = await sharp(await noisyJpeg(200, 200))
      .webp()
      .toBuffer();
    expect(await faultOf(probeImage(webp.subarray(0, webp.length >> 1), LIMITS))).toBe('invalid');
    expect(
      await faultOf(probeImage(await noisyJpeg(1200, 1200), { ...LIMITS, maxBytes: 1000 })),
    ).toBe('too-large');
    expect(
      await faultOf(
        probeImage(await solidImage(8, 8, '#000', 'png'), { ...LIMITS, formats: ['jpeg'] }),
      ),
    ).toBe('unsupported');
  });

  it('leaves damage inside a complete file to the decode (it passes here, fails there)', async () => {
    await expect(probeImage(corruptPng(), LIMITS)).resolves.toMatchObject({ format: 'png' });
    expect(await faultOf(normalizeUpload(corruptPng(), 'png'))).toBe('invalid');
  });
});

describe('normalizeUpload', () => {
  it('keeps the format, turns the image upright and drops EXIF and GPS', async () => {
    const jpeg = await normalizeUpload(await jpegWithExifGps(64, 48), 'jpeg');
    expect(await leakedMetadata(jpeg.data)).toEqual(CLEAN);
    expect((await sharp(jpeg.data).metadata()).format).toBe('jpeg');
    const upright = await normalizeUpload(await orientedJpegWithGps(), 'jpeg');
    expect([upright.width, upright.height]).toEqual([20, 40]);
    expect(await leakedMetadata(upright.data)).toEqual(CLEAN);
    const png = await normalizeUpload(await solidImage(10, 10, '#123456', 'png'), 'png');
    expect((await sharp(png.data).metadata()).format).toBe('png');
  });
});

describe('decodeDataUrl', () => {
  it('decodes base64 with line breaks and refuses foreign characters or padding inside', () => {
    const bytes = Buffer.from('a photo, honestly');
    const b64 = bytes.toString('base64');
    expect(decodeDataUrl(`data:image/jpeg;base64,${b64}`, 1000)).toEqual(bytes);
    const wrapped = `${b64.slice(0, 8)}\r\n${b64.slice(8)}`;
    expect(decodeDataUrl(`data:image/png;base64,${wrapped}`, 1000)).toEqual(bytes);
    expect(() => decodeDataUrl(`data:image/jpeg;base64,${b64}<?php`, 1000)).toThrow(ImagingError);
    expect(() => decodeDataUrl(`data:image/jpeg;base64,QQ==${b64}`, 1000)).toThrow(ImagingError);
    expect(() => decodeDataUrl('image/jpeg;base64,QQ==', 1000)).toThrow(ImagingError);
  });
});
