import sharp from 'sharp';
import { rasterizeSvg, sanitizeSvg } from '../../../src/imaging/svg';
import type { GenerateFrameSpec } from '../../../src/modules/ai-frames/ai-frames.schemas';
import { generateAiFrame } from '../../../src/modules/ai-frames/frame-generator';
import { GENERATE_BODY } from '../../factories/frames.factory';

const BASE = GENERATE_BODY;

interface Raster {
  width: number;
  height: number;
  rgba: Buffer;
}

async function rasterize(svg: string): Promise<Raster> {
  const png = await rasterizeSvg(svg, 600, 900);
  const { data, info } = await sharp(png).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, rgba: data };
}

const alphaAt = (r: Raster, x: number, y: number) =>
  r.rgba[(Math.round(y) * r.width + Math.round(x)) * 4 + 3]!;
const rgbAt = (r: Raster, x: number, y: number) => {
  const i = (Math.round(y) * r.width + Math.round(x)) * 4;
  return [r.rgba[i]!, r.rgba[i + 1]!, r.rgba[i + 2]!];
};

/** Points inside a slot (clear of its rounded corners) and just outside its edges. */
function samples(slot: {
  x: number;
  y: number;
  width: number;
  height: number;
  borderRadius: number;
}) {
  const { x, y, width: w, height: h } = slot;
  const inset = slot.borderRadius + 3;
  const inside = [
    [x + w / 2, y + h / 2],
    [x + inset, y + 3],
    [x + w - inset, y + h - 4],
    [x + 3, y + h / 2],
    [x + w - 4, y + h / 2],
    [x + w / 2, y + 3],
    [x + w / 2, y + h - 4],
  ];
  const outside = [
    [x + w / 2, y - 3],
    [x + w / 2, y + h + 2],
    [x - 3, y + h / 2],
    [x + w + 2, y + h / 2],
    [x - 6, y - 6],
    [x + w + 5, y + h + 5],
  ];
  return { inside, outside };
}

describe('generateAiFrame', () => {
  const specs: GenerateFrameSpec[] = [];
  for (const layout of ['vertical', 'horizontal', 'grid'] as const)
    for (const frameCount of [2, 3, 4, 5, 6]) specs.push({ ...BASE, layout, frameCount });
  specs.push(
    { ...BASE, frameCount: 4, layout: 'grid', borderRadius: 50, borderThickness: 10, style: 'polaroid' },
    { ...BASE, frameCount: 3, layout: 'vertical', borderRadius: 0, borderThickness: 1, style: 'film' },
    { ...BASE, frameCount: 2, layout: 'horizontal', style: 'confetti', title: 'Selamat Ulang Tahun' },
    { ...BASE, gradientFrom: undefined, gradientTo: undefined, backgroundColor: '#FFFFFF', borderColor: '#000000' },
  ); // prettier-ignore

  it.each(specs.map((spec) => [`${spec.frameCount} ${spec.layout} ${spec.style ?? 'classic'} r${spec.borderRadius}`, spec] as const))(
    'draws %s: transparent inside every slot, opaque on the border around it',
    async (_name, spec) => {
      const frame = generateAiFrame(spec);
      expect(frame).toMatchObject({ width: 600, height: 900 });
      expect(frame.layoutPositions).toHaveLength(spec.frameCount);
      expect(sanitizeSvg(frame.svg)).toMatchObject({ width: 600, height: 900 });
      const raster = await rasterize(frame.svg);
      expect(raster).toMatchObject({ width: 600, height: 900 });
      for (const slot of frame.layoutPositions) {
        expect(slot.x).toBeGreaterThanOrEqual(10);
        expect(slot.y).toBeGreaterThanOrEqual(10);
        expect(slot.x + slot.width).toBeLessThanOrEqual(590);
        expect(slot.y + slot.height).toBeLessThanOrEqual(890);
        expect(slot.borderRadius).toBe(Math.min(spec.borderRadius, Math.floor(Math.min(slot.width, slot.height) / 2)));
        const { inside, outside } = samples(slot);
        for (const [x, y] of inside) expect(alphaAt(raster, x!, y!)).toBe(0);
        for (const [x, y] of outside) expect(alphaAt(raster, x!, y!)).toBe(255);
      }
      // The canvas corners and the band under the photos are frame, not holes.
      for (const [x, y] of [[2, 2], [597, 2], [2, 897], [597, 897], [300, 880]])
        expect(alphaAt(raster, x!, y!)).toBe(255);
    },
  ); // prettier-ignore

  it('puts the slots where the layout says: a column, a row, or rows of a grid', () => {
    const column = generateAiFrame({ ...BASE, frameCount: 3, layout: 'vertical' }).layoutPositions;
    expect(new Set(column.map((s) => s.x)).size).toBe(1);
    const row = generateAiFrame({ ...BASE, frameCount: 3, layout: 'horizontal' }).layoutPositions;
    expect(new Set(row.map((s) => s.y)).size).toBe(1);
    const grid = generateAiFrame({ ...BASE, frameCount: 4, layout: 'grid' }).layoutPositions;
    expect(new Set(grid.map((s) => s.x)).size).toBe(2);
    expect(new Set(grid.map((s) => s.y)).size).toBe(2);
  });

  it('paints the gradient ends and the border colour', async () => {
    const frame = generateAiFrame({ ...BASE, borderThickness: 6, borderRadius: 0 });
    expect(frame.svg).toContain('stop-color="#1E88E5"');
    expect(frame.svg).toContain('stop-color="#8E24AA"');
    const raster = await rasterize(frame.svg);
    const slot = frame.layoutPositions[0]!;
    const [r, g, b] = rgbAt(raster, slot.x + slot.width / 2, slot.y - 3);
    // #D4AF37 at 95% over the background: clearly gold.
    expect(r).toBeGreaterThan(180);
    expect(g).toBeGreaterThan(140);
    expect(b).toBeLessThan(110);
  });

  it('is deterministic', () => {
    expect(generateAiFrame({ ...BASE, style: 'confetti' }).svg).toBe(
      generateAiFrame({ ...BASE, style: 'confetti' }).svg,
    );
  });
});
