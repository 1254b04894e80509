import sharp from 'sharp';
import { EXIF_CAMERA_MAKE } from '../fixtures/images';

/**
 * What a served or stored image still tells about where and with what it was taken: its EXIF
 * block, a GPS block, the fixtures' camera make anywhere in the bytes, and the orientation.
 */
export async function leakedMetadata(image: Buffer): Promise<{
  exif: boolean;
  gps: boolean;
  cameraMake: boolean;
  orientation: number;
}> {
  const meta = await sharp(image).metadata();
  return {
    exif: meta.exif !== undefined || image.includes('Exif\0\0', 0, 'latin1'),
    gps: meta.exif !== undefined && hasGpsPointer(meta.exif),
    cameraMake: image.includes(EXIF_CAMERA_MAKE, 0, 'latin1'),
    orientation: meta.orientation ?? 1,
  };
}

export const CLEAN = { exif: false, gps: false, cameraMake: false, orientation: 1 } as const;

// The GPSInfo IFD pointer is tag 0x8825, written in the block's byte order.
function hasGpsPointer(exif: Buffer): boolean {
  return exif.includes(Buffer.from([0x88, 0x25])) || exif.includes(Buffer.from([0x25, 0x88]));
}
