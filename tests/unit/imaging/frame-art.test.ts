import {
  generateFrameSvg,
  LAYOUT_COUNTS,
  layoutFor,
  slotsInside,
} from '../../../src/imaging/frame-art';
import { sanitizeSvg } from '../../../src/imaging/svg';

const COLORS = { from: '#ff7eb3', to: '#7a5cff', accent: '#ffd166', text: '#ffffff' };

describe('layoutFor', () => {
  it.each(
    LAYOUT_COUNTS.flatMap(
      (count) =>
        [
          [count, 1200, 1800],
          [count, 1800, 1200],
          [count, 600, 1800],
          [count, 1800, 1800],
        ] as const,
    ),
  )('gives %i non-overlapping whole-pixel slots inside a %i×%i canvas', (count, width, height) => {
    const slots = layoutFor(count, { width, height });
    expect(slots).toHaveLength(count);
    expect(slotsInside(slots, { width, height })).toBe(true);
    for (const s of slots)
      for (const v of [s.x, s.y, s.width, s.height]) expect(Number.isInteger(v)).toBe(true);
    for (const [i, a] of slots.entries())
      for (const b of slots.slice(i + 1)) {
        const apart =
          a.x + a.width <= b.x ||
          b.x + b.width <= a.x ||
          a.y + a.height <= b.y ||
          b.y + b.height <= a.y;
        expect(apart).toBe(true);
      }
  });

  it('stacks two and three photos vertically on a portrait canvas', () => {
    const slots = layoutFor(3, { width: 600, height: 1800 });
    expect(new Set(slots.map((s) => s.x)).size).toBe(1);
    expect(slots[0]!.y).toBeLessThan(slots[1]!.y);
  });

  it('leaves room for a title band under the photos', () => {
    const slots = layoutFor(4, { width: 1200, height: 1800 });
    expect(Math.max(...slots.map((s) => s.y + s.height))).toBeLessThan(1800 * 0.88);
  });
});

describe('generateFrameSvg', () => {
  it.each(['classic', 'polaroid', 'film', 'confetti'] as const)(
    'makes a %s frame that passes the sanitiser',
    (style) => {
      const canvas = { width: 1200, height: 1800 };
      const svg = generateFrameSvg({
        ...canvas,
        slots: layoutFor(4, canvas),
        title: 'Selamat <Ulang> Tahun & "Co"',
        subtitle: 'KaryaKlik',
        colors: COLORS,
        style,
      });
      expect(sanitizeSvg(svg)).toMatchObject({ width: 1200, height: 1800 });
      expect(svg).toContain('&#60;Ulang&#62;');
      expect(svg).toContain('mask="url(#holes)"');
    },
  );

  it('is deterministic for the same spec', () => {
    const canvas = { width: 600, height: 900 };
    const spec = {
      ...canvas,
      slots: layoutFor(2, canvas),
      title: 'A',
      colors: COLORS,
      style: 'confetti' as const,
    };
    expect(generateFrameSvg(spec)).toBe(generateFrameSvg(spec));
  });

  it('refuses colours that are not hex (they are written into the markup)', () => {
    const canvas = { width: 600, height: 900 };
    expect(() =>
      generateFrameSvg({
        ...canvas,
        slots: layoutFor(1, canvas),
        colors: { ...COLORS, text: 'red" onload="x' },
      }),
    ).toThrow(RangeError);
  });
});
