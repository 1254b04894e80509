import sharp from 'sharp';
import {
  clearPreparedFrames,
  getPreparedFrame,
  prepareFrame,
  preparedFrameCount,
  renderComposite,
  type Slot,
} from '../../../src/imaging/compose';
import { generateFrameSvg, layoutFor } from '../../../src/imaging/frame-art';
import { near, pixelAt, solidImage } from '../../fixtures/images';

const CANVAS = { width: 400, height: 600 };
const COLORS: Array<[number, number, number]> = [
  [230, 30, 30],
  [30, 200, 30],
  [30, 30, 230],
  [230, 200, 30],
];
const hex = ([r, g, b]: readonly number[]) =>
  `#${[r, g, b].map((v) => v!.toString(16).padStart(2, '0')).join('')}`;

/** A frame: opaque magenta everywhere except transparent holes at the slots. */
function holedFrameSvg(slots: Slot[]): string {
  const holes = slots
    .map(
      (s) =>
        `<rect x="${s.x}" y="${s.y}" width="${s.width}" height="${s.height}" fill="#000" transform="rotate(${s.rotation ?? 0} ${s.x + s.width / 2} ${s.y + s.height / 2})"/>`,
    )
    .join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${CANVAS.width}" height="${CANVAS.height}"><defs><mask id="m" maskUnits="userSpaceOnUse" x="0" y="0" width="${CANVAS.width}" height="${CANVAS.height}"><rect width="100%" height="100%" fill="#fff"/>${holes}</mask></defs><rect width="100%" height="100%" fill="#ff00ff" mask="url(#m)"/></svg>`;
}

/** One slot rendered on a transparent frame of CANVAS size (the background shows around it). */
async function renderOnBlank(slot: Slot, photo: Buffer, background?: string) {
  const blank = `<svg xmlns="http://www.w3.org/2000/svg" width="${CANVAS.width}" height="${CANVAS.height}"/>`;
  const frame = await prepareFrame(Buffer.from(blank), CANVAS);
  return renderComposite({ frame, slots: [slot], photos: [photo], background });
}

const GRID: Slot[] = [
  { x: 20, y: 20, width: 170, height: 250 },
  { x: 210, y: 20, width: 170, height: 250 },
  { x: 20, y: 290, width: 170, height: 250 },
  { x: 210, y: 290, width: 170, height: 250 },
];

describe('prepareFrame', () => {
  it('rasterises an SVG frame to RGBA of the canvas size', async () => {
    const frame = await prepareFrame(Buffer.from(holedFrameSvg(GRID)), CANVAS);
    expect(frame.width).toBe(400);
    expect(frame.height).toBe(600);
    expect(frame.rgba.length).toBe(400 * 600 * 4);
    expect(frame.rgba[(5 * 400 + 5) * 4 + 3]).toBe(255);
    expect(frame.rgba[(100 * 400 + 100) * 4 + 3]).toBe(0);
  });

  it('scales a raster frame to the canvas', async () => {
    const png = await solidImage(200, 300, '#336699', 'png');
    const frame = await prepareFrame(png, CANVAS);
    expect(frame.rgba.length).toBe(400 * 600 * 4);
    expect([...frame.rgba.subarray(0, 4)]).toEqual([0x33, 0x66, 0x99, 255]);
  });

  it('refuses an unsafe SVG frame', async () => {
    await expect(
      prepareFrame(
        Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4" onload="x()"/>'),
        CANVAS,
      ),
    ).rejects.toMatchObject({ fault: 'invalid' });
  });
});

describe('renderComposite', () => {
  it('puts each photo in its own slot and the frame on top', async () => {
    const frame = await prepareFrame(Buffer.from(holedFrameSvg(GRID)), CANVAS);
    const photos = await Promise.all(COLORS.map((c) => solidImage(640, 480, hex(c))));
    const result = await renderComposite({ frame, slots: GRID, photos });
    expect(result).toMatchObject({ width: 400, height: 600 });
    expect((await sharp(result.jpeg).metadata()).format).toBe('jpeg');
    for (const [i, slot] of GRID.entries()) {
      const centre = await pixelAt(result.jpeg, slot.x + slot.width / 2, slot.y + slot.height / 2);
      expect(near(centre, COLORS[i]!)).toBe(true);
    }
    expect(near(await pixelAt(result.jpeg, 5, 5), [255, 0, 255])).toBe(true);
    expect(near(await pixelAt(result.jpeg, 200, 150), [255, 0, 255])).toBe(true);
    expect(near(await pixelAt(result.jpeg, 200, 580), [255, 0, 255])).toBe(true);
  });

  it('cover-fits a photo of another aspect ratio without letterboxing', async () => {
    const wide = await sharp({
      create: { width: 900, height: 300, channels: 3, background: '#00ff00' },
    })
      .composite([{ input: await solidImage(300, 300, '#0000ff'), left: 300, top: 0 }])
      .jpeg()
      .toBuffer();
    const slot: Slot = { x: 100, y: 100, width: 200, height: 200 };
    const frame = await prepareFrame(Buffer.from(holedFrameSvg([slot])), CANVAS);
    const result = await renderComposite({
      frame,
      slots: [slot],
      photos: [wide],
      background: '#ffffff',
    });
    // The centre third of the wide photo fills the square slot entirely.
    expect(near(await pixelAt(result.jpeg, 110, 110), [0, 0, 255])).toBe(true);
    expect(near(await pixelAt(result.jpeg, 290, 290), [0, 0, 255])).toBe(true);
  });

  it('leaves a slot whose photo is missing showing the background', async () => {
    const frame = await prepareFrame(Buffer.from(holedFrameSvg(GRID)), CANVAS);
    const photos = [
      await solidImage(100, 100, '#ff0000'),
      null,
      undefined,
      await solidImage(100, 100, '#0000ff'),
    ];
    const result = await renderComposite({ frame, slots: GRID, photos, background: '#00ffff' });
    expect(near(await pixelAt(result.jpeg, 295, 145), [0, 255, 255])).toBe(true);
    expect(near(await pixelAt(result.jpeg, 105, 415), [0, 255, 255])).toBe(true);
    expect(near(await pixelAt(result.jpeg, 105, 145), [255, 0, 0])).toBe(true);
  });

  it('rotates a photo about its slot centre', async () => {
    const slot: Slot = { x: 100, y: 200, width: 200, height: 100, rotation: 90 };
    // Left half red, right half blue: turned 90° clockwise the red half ends up on top.
    const photo = await sharp({
      create: { width: 200, height: 100, channels: 3, background: '#0000ff' },
    })
      .composite([{ input: await solidImage(100, 100, '#ff0000'), left: 0, top: 0 }])
      .png()
      .toBuffer();
    const result = await renderOnBlank(slot, photo, '#ffffff');
    expect(near(await pixelAt(result.jpeg, 200, 170), [255, 0, 0])).toBe(true);
    expect(near(await pixelAt(result.jpeg, 200, 330), [0, 0, 255])).toBe(true);
    // The unrotated slot's corners are outside the rotated photo.
    expect(near(await pixelAt(result.jpeg, 110, 210), [255, 255, 255])).toBe(true);
  });

  it('clips a slot that reaches past the canvas edge', async () => {
    const slot: Slot = { x: 300, y: 500, width: 200, height: 200, rotation: 30 };
    const result = await renderOnBlank(slot, await solidImage(50, 50, '#00ff00'));
    expect(result).toMatchObject({ width: 400, height: 600 });
    expect(near(await pixelAt(result.jpeg, 395, 595), [0, 255, 0])).toBe(true);
  });

  it('rounds slot corners by borderRadius', async () => {
    const slot: Slot = { x: 100, y: 100, width: 200, height: 200, borderRadius: 60 };
    const result = await renderOnBlank(slot, await solidImage(50, 50, '#000000'), '#ffffff');
    expect(near(await pixelAt(result.jpeg, 103, 103), [255, 255, 255])).toBe(true);
    expect(near(await pixelAt(result.jpeg, 200, 103), [0, 0, 0])).toBe(true);
  });

  it('renders generated frame art with photos visible through every hole', async () => {
    const canvas = { width: 600, height: 900 };
    const slots = layoutFor(6, canvas);
    const svg = generateFrameSvg({
      ...canvas,
      slots,
      title: 'Test',
      colors: { from: '#222222', to: '#444444', accent: '#ffcc00', text: '#ffffff' },
      style: 'film',
    });
    const frame = await prepareFrame(Buffer.from(svg), canvas);
    const result = await renderComposite({
      frame,
      slots,
      photos: await Promise.all(slots.map(() => solidImage(64, 64, '#00ff00'))),
    });
    for (const s of slots) {
      expect(
        near(
          await pixelAt(result.jpeg, s.x + Math.floor(s.width / 2), s.y + Math.floor(s.height / 2)),
          [0, 255, 0],
        ),
      ).toBe(true);
    }
  });
});

describe('getPreparedFrame', () => {
  beforeEach(() => clearPreparedFrames());

  it('loads a frame once per key, also for concurrent callers', async () => {
    const loader = jest.fn(() => prepareFrame(Buffer.from(holedFrameSvg(GRID)), CANVAS));
    const [a, b] = await Promise.all([
      getPreparedFrame('t1', loader),
      getPreparedFrame('t1', loader),
    ]);
    const c = await getPreparedFrame('t1', loader);
    expect(loader).toHaveBeenCalledTimes(1);
    expect(a).toBe(b);
    expect(c).toBe(a);
  });

  it('forgets a failed load so the next call retries', async () => {
    const failing = jest.fn(() => Promise.reject(new Error('disk')));
    await expect(getPreparedFrame('t2', failing)).rejects.toThrow('disk');
    const ok = jest.fn(() => prepareFrame(Buffer.from(holedFrameSvg(GRID)), CANVAS));
    await getPreparedFrame('t2', ok);
    expect(ok).toHaveBeenCalledTimes(1);
    expect(preparedFrameCount()).toBe(1);
  });

  it('evicts the least recently used frame beyond its capacity', async () => {
    const tiny = () => Promise.resolve({ width: 1, height: 1, rgba: Buffer.alloc(4) });
    for (let i = 0; i < 30; i++) await getPreparedFrame(`k${i}`, tiny);
    expect(preparedFrameCount()).toBe(24);
    const reload = jest.fn(tiny);
    await getPreparedFrame('k0', reload);
    expect(reload).toHaveBeenCalledTimes(1);
  });
});
