import { frameSlots, generateFrameSvg } from '../../../src/imaging/frame-art';
import { detectSlots, findHoles, slotsMatchHoles } from '../../../src/imaging/slot-detect';
import { FOUR_SLOTS, framePng, holedFrame, holeGrid, type Hole } from '../../fixtures/frames';
import { solidImage } from '../../fixtures/images';

function expectWithin(actual: Hole[], truth: Hole[], tolerance = 2) {
  expect(actual).toHaveLength(truth.length);
  truth.forEach((hole, i) => {
    const found = actual[i]!;
    for (const key of ['x', 'y', 'width', 'height'] as const) {
      expect(Math.abs(found[key] - hole[key])).toBeLessThanOrEqual(tolerance);
    }
  });
}

describe('detectSlots', () => {
  const cases: Array<[string, Hole[], Parameters<typeof holedFrame>[1]]> = [
    ['2 holes in a strip', holeGrid(2, 1), {}],
    ['3 holes in a strip', holeGrid(3, 1), {}],
    ['4 holes in a 2×2 grid', holeGrid(4, 2), {}],
    ['6 holes in a 2×3 grid', holeGrid(6, 2), {}],
    ['9 holes in a 3×3 grid', holeGrid(9, 3), {}],
    ['4 rounded holes', holeGrid(4, 2, undefined, 40), {}],
    [
      '3 holes and transparent specks',
      holeGrid(3, 1),
      {
        specks: [
          { x: 5, y: 5, size: 3 },
          { x: 300, y: 12, size: 6 },
          { x: 590, y: 880, size: 8 },
          { x: 12, y: 600, size: 1 },
        ],
      },
    ],
    [
      '6 holes on a landscape WebP',
      holeGrid(6, 3, { width: 900, height: 600 }),
      {
        canvas: { width: 900, height: 600 },
        format: 'webp',
      },
    ],
  ];

  it.each(cases)('finds %s within 2 px of the truth', async (_name, holes, options) => {
    const detection = await detectSlots(await holedFrame(holes, options));
    expectWithin(detection.slots, holes);
    if (options?.specks) expect(detection.ignored).toBe(options.specks.length);
  });

  it('estimates the corner radius of rounded holes', async () => {
    const detection = await detectSlots(await holedFrame(holeGrid(4, 2, undefined, 40)));
    for (const slot of detection.slots)
      expect(Math.abs(slot.borderRadius - 40)).toBeLessThanOrEqual(4);
    const square = await detectSlots(await holedFrame(holeGrid(4, 2)));
    for (const slot of square.slots) expect(slot.borderRadius).toBe(0);
  });

  it('puts holes in reading order: rows top to bottom, then left to right', async () => {
    const detection = await detectSlots(await holedFrame(holeGrid(6, 3)));
    const order = detection.slots.map((s) => [s.x, s.y]);
    const sorted = [...order].sort((a, b) => a[1]! - b[1]! || a[0]! - b[0]!);
    expect(order).toEqual(sorted);
  });

  it('finds the holes of an SVG frame where its layout says they are', async () => {
    const canvas = { width: 600, height: 900 };
    for (const layout of ['vertical', 'horizontal', 'grid'] as const) {
      const slots = frameSlots(4, layout, canvas, { borderRadius: 12 });
      const svg = generateFrameSvg({
        ...canvas,
        slots,
        colors: { from: '#ff7eb3', to: '#7a5cff', accent: '#ffd166', text: '#ffffff' },
      });
      const detection = await detectSlots(Buffer.from(svg));
      expectWithin(detection.slots, slots);
    }
  });

  it('keeps a hole that an opaque sticker overlaps as one region', async () => {
    const detection = await detectSlots(await framePng());
    expect(detection.slots).toHaveLength(4);
    expectWithin(detection.slots, FOUR_SLOTS);
  });

  it('finds no holes in an image without alpha', async () => {
    const detection = await detectSlots(await solidImage(300, 400, '#123456', 'jpeg'));
    expect(detection).toMatchObject({ width: 300, height: 400, slots: [] });
  });

  it('gives up on alpha noise instead of reporting thousands of holes', () => {
    const width = 400;
    const height = 400;
    const alpha = new Uint8Array(width * height);
    for (let i = 0; i < alpha.length; i++) alpha[i] = (i * 7919) % 3 === 0 ? 0 : 255;
    const detection = findHoles(alpha, width, height);
    expect(detection.slots).toEqual([]);
    expect(detection.fragmented).toBe(true);
  });
});

describe('slotsMatchHoles', () => {
  const holes = holeGrid(3, 1);

  it('accepts slots that sit on the holes, in any order', () => {
    expect(slotsMatchHoles([holes[2]!, holes[0]!, holes[1]!], holes)).toBe(true);
    expect(
      slotsMatchHoles(
        holes.map((h) => ({ ...h, x: h.x + 3 })),
        holes,
      ),
    ).toBe(true);
  });

  it('refuses slots that miss the holes or count them wrong', () => {
    expect(
      slotsMatchHoles(
        holes.map((h) => ({ ...h, y: h.y + 80 })),
        holes,
      ),
    ).toBe(false);
    expect(slotsMatchHoles(holes.slice(0, 2), holes)).toBe(false);
    expect(slotsMatchHoles([holes[0]!, holes[0]!, holes[1]!], holes)).toBe(false);
  });
});
