import sharp from 'sharp';
import { timedImageWork } from '../lib/metrics';

export const AVATAR_SIZE = 400;

/**
 * A square profile picture: EXIF orientation applied, cropped to the most interesting region
 * (sharp's attention strategy, which favours faces and skin tones), transparency flattened on
 * white, JPEG without any metadata (sharp writes none unless asked, so GPS tags are gone).
 * Small images are enlarged so every avatar has the same size.
 */
async function makeAvatarUntimed(
  input: Buffer,
  options: { maxInputPixels: number; size?: number },
): Promise<Buffer> {
  const size = options.size ?? AVATAR_SIZE;
  return sharp(input, { limitInputPixels: options.maxInputPixels, failOn: 'truncated' })
    .rotate()
    .resize(size, size, { fit: 'cover', position: sharp.strategy.attention })
    .flatten({ background: '#ffffff' })
    .jpeg({ quality: 85, mozjpeg: true })
    .toBuffer();
}

/** Timed in kk_image_work_duration_seconds{operation="avatar"}. */
export const makeAvatar = timedImageWork('avatar', makeAvatarUntimed);
