import sharp from 'sharp';
import { generateFrameSvg, layoutFor, type LayoutCount } from '../../src/imaging/frame-art';

/**
 * A photo-like JPEG: smooth gradients and shapes with film-grain noise on top, so the encoded size
 * is in the range of a real camera JPEG (a flat colour would compress to nothing, pure noise
 * would be several times too large).
 */
export async function photoLikeJpeg(width: number, height: number, seed = 0): Promise<Buffer> {
  const hue = (seed * 67) % 360;
  const shapes = Array.from({ length: 14 }, (_, i) => {
    const cx = ((i * 97 + seed * 31) % 100) / 100;
    const cy = ((i * 53 + seed * 17) % 100) / 100;
    const r = 0.05 + ((i * 29) % 20) / 100;
    return `<circle cx="${cx * width}" cy="${cy * height}" r="${r * Math.min(width, height)}" fill="hsl(${(hue + i * 40) % 360},70%,${35 + (i % 4) * 12}%)" fill-opacity="0.7"/>`;
  }).join('');
  const base = await sharp(
    Buffer.from(
      `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="hsl(${hue},60%,75%)"/><stop offset="1" stop-color="hsl(${(hue + 120) % 360},55%,30%)"/></linearGradient></defs><rect width="100%" height="100%" fill="url(#g)"/>${shapes}</svg>`,
    ),
  )
    .png({ compressionLevel: 0 })
    .toBuffer();
  const grain = await sharp({
    create: {
      width,
      height,
      channels: 3,
      background: '#000',
      noise: { type: 'gaussian', mean: 128, sigma: 18 },
    },
  })
    .png({ compressionLevel: 0 })
    .toBuffer();
  return sharp(base)
    .composite([{ input: grain, blend: 'soft-light' }])
    .jpeg({ quality: 88, mozjpeg: false })
    .toBuffer();
}

/** The benches' frame: the generator's confetti style with `count` slots laid out on `canvas`. */
export function benchFrameSvg(count: LayoutCount, canvas: { width: number; height: number }) {
  const slots = layoutFor(count, canvas);
  const svg = generateFrameSvg({
    ...canvas,
    slots,
    title: 'Kenangan Bersama',
    subtitle: 'KaryaKlik',
    colors: { from: '#ff7eb3', to: '#7a5cff', accent: '#ffd166', text: '#ffffff' },
    style: 'confetti',
  });
  return { slots, svg: Buffer.from(svg) };
}
