import type { Slot } from './compose';

export {
  frameSlots,
  layoutFor,
  LAYOUT_COUNTS,
  slotsInside,
  type FrameLayoutName,
  type LayoutCount,
} from './frame-layout';

export type FrameStyle = 'classic' | 'polaroid' | 'film' | 'confetti';

export interface FrameSpec {
  width: number;
  height: number;
  slots: Slot[];
  title?: string;
  subtitle?: string;
  colors: { from: string; to: string; accent: string; text: string };
  style?: FrameStyle;
  /** The line around every photo: colour and visible width in pixels (default: by style). */
  slotBorder?: { color: string; width: number };
}

const FONT = `'Poppins', 'Trebuchet MS', 'DejaVu Sans', Arial, sans-serif`;
const COLOR = /^#[0-9a-f]{3}([0-9a-f]{3})?([0-9a-f]{2})?$/i;

/**
 * A self-contained SVG frame: gradient background, per-style decoration, slot borders and a
 * title band, with every slot cut out by a mask so photos composited underneath show through.
 */
export function generateFrameSvg(spec: FrameSpec): string {
  const { width: w, height: h } = spec;
  const style = spec.style ?? 'classic';
  const colors = {
    from: color(spec.colors.from),
    to: color(spec.colors.to),
    accent: color(spec.colors.accent),
    text: color(spec.colors.text),
  };
  const unit = Math.min(w, h);
  const holes = spec.slots.map((slot) => slotShape(slot, 'fill="#000"')).join('');
  const parts = [
    `<rect width="${w}" height="${h}" fill="url(#bg)"/>`,
    `<rect width="${w}" height="${h}" fill="url(#glow)"/>`,
    decoration(style, spec, colors, unit),
    `<rect x="${f(unit * 0.018)}" y="${f(unit * 0.018)}" width="${f(w - unit * 0.036)}" height="${f(h - unit * 0.036)}" rx="${f(unit * 0.02)}" fill="none" stroke="${colors.accent}" stroke-width="${f(unit * 0.006)}" stroke-opacity="0.85"/>`,
    ...spec.slots.map((slot) => slotBorder(slot, style, colors, unit, spec.slotBorder)),
    titleBand(spec, colors, unit),
  ];
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}">`,
    '<defs>',
    `<linearGradient id="bg" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="${colors.from}"/><stop offset="1" stop-color="${colors.to}"/></linearGradient>`,
    `<radialGradient id="glow" cx="0.5" cy="0.08" r="0.9"><stop offset="0" stop-color="#ffffff" stop-opacity="0.28"/><stop offset="1" stop-color="#ffffff" stop-opacity="0"/></radialGradient>`,
    `<filter id="shadow" x="-10%" y="-10%" width="120%" height="120%"><feDropShadow dx="0" dy="${f(unit * 0.006)}" stdDeviation="${f(unit * 0.008)}" flood-color="#000000" flood-opacity="0.35"/></filter>`,
    `<mask id="holes" maskUnits="userSpaceOnUse" x="0" y="0" width="${w}" height="${h}"><rect width="${w}" height="${h}" fill="#fff"/>${holes}</mask>`,
    '</defs>',
    `<g mask="url(#holes)">${parts.join('')}</g>`,
    '</svg>',
  ].join('');
}

interface Colors {
  from: string;
  to: string;
  accent: string;
  text: string;
}

function decoration(style: FrameStyle, spec: FrameSpec, colors: Colors, unit: number): string {
  const { width: w, height: h } = spec;
  switch (style) {
    case 'polaroid': {
      const pad = unit * 0.022;
      return spec.slots
        .map((s) =>
          slotShape(
            {
              ...s,
              x: s.x - pad,
              y: s.y - pad,
              width: s.width + 2 * pad,
              height: s.height + 2 * pad,
              borderRadius: unit * 0.008,
            },
            'fill="#fdfcf8" filter="url(#shadow)"',
          ),
        )
        .join('');
    }
    case 'film': {
      const hole = unit * 0.028;
      const step = hole * 1.9;
      const inset = (Math.min(...spec.slots.map((s) => s.x)) - hole) / 2;
      const marks: string[] = [];
      for (let y = step / 2; y + hole < h; y += step) {
        for (const x of [inset, w - inset - hole]) {
          marks.push(
            `<rect x="${f(x)}" y="${f(y)}" width="${f(hole)}" height="${f(hole * 0.7)}" rx="${f(hole * 0.15)}" fill="${colors.text}" fill-opacity="0.85"/>`,
          );
        }
      }
      return marks.join('');
    }
    case 'confetti': {
      const random = seededRandom(`${spec.title ?? ''}:${w}x${h}`);
      const pieces: string[] = [];
      const palette = [colors.accent, colors.text, '#ffffff'];
      for (let i = 0; i < 90; i++) {
        const x = random() * w;
        const y = random() * h;
        const size = unit * (0.006 + random() * 0.014);
        const fill = palette[i % palette.length];
        const opacity = f(0.45 + random() * 0.5);
        pieces.push(
          i % 3 === 0
            ? `<circle cx="${f(x)}" cy="${f(y)}" r="${f(size)}" fill="${fill}" fill-opacity="${opacity}"/>`
            : `<rect x="${f(x)}" y="${f(y)}" width="${f(size * 2.2)}" height="${f(size * 0.9)}" rx="${f(size * 0.3)}" fill="${fill}" fill-opacity="${opacity}" transform="rotate(${Math.round(random() * 180)} ${f(x)} ${f(y)})"/>`,
        );
      }
      return pieces.join('');
    }
    case 'classic': {
      const r = unit * 0.014;
      const o = unit * 0.045;
      return [
        [o, o],
        [w - o, o],
        [o, h - o],
        [w - o, h - o],
      ]
        .map(
          ([x, y]) =>
            `<rect x="${f(x! - r)}" y="${f(y! - r)}" width="${f(2 * r)}" height="${f(2 * r)}" fill="${colors.accent}" transform="rotate(45 ${f(x!)} ${f(y!)})"/>`,
        )
        .join('');
    }
  }
}

function slotBorder(
  slot: Slot,
  style: FrameStyle,
  colors: Colors,
  unit: number,
  custom: FrameSpec['slotBorder'],
): string {
  const stroke = custom
    ? color(custom.color)
    : style === 'polaroid'
      ? '#e9e4d8'
      : style === 'film'
        ? colors.accent
        : '#ffffff';
  const widthOf = custom ? custom.width : unit * (style === 'film' ? 0.004 : 0.008);
  // The stroke is centred on the hole's edge; the mask removes its inner half, so it frames the photo.
  return slotShape(
    slot,
    `fill="none" stroke="${stroke}" stroke-width="${f(widthOf * 2)}" stroke-opacity="0.95"`,
  );
}

function titleBand(spec: FrameSpec, colors: Colors, unit: number): string {
  if (!spec.title && !spec.subtitle) return '';
  const lowest = Math.max(...spec.slots.map((s) => s.y + s.height), 0);
  const top = lowest + unit * 0.01;
  const bandHeight = spec.height - top - unit * 0.03;
  if (bandHeight < unit * 0.04) return '';
  const cx = spec.width / 2;
  const maxWidth = spec.width * 0.86;
  const out: string[] = [];
  const hasSubtitle = Boolean(spec.subtitle) && bandHeight > unit * 0.09;
  if (spec.title) {
    const size = fitText(spec.title, bandHeight * (hasSubtitle ? 0.42 : 0.5), maxWidth, 0.62);
    const baseline = top + bandHeight * (hasSubtitle ? 0.5 : 0.62);
    out.push(
      `<text x="${f(cx)}" y="${f(baseline)}" text-anchor="middle" font-family="${FONT}" font-weight="700" font-size="${f(size)}" fill="${colors.text}" letter-spacing="${f(size * 0.02)}">${escapeXml(spec.title)}</text>`,
    );
    out.push(
      `<rect x="${f(cx - unit * 0.05)}" y="${f(baseline + size * 0.42)}" width="${f(unit * 0.1)}" height="${f(Math.max(2, unit * 0.004))}" rx="${f(unit * 0.002)}" fill="${colors.accent}"/>`,
    );
  }
  if (hasSubtitle && spec.subtitle) {
    const size = fitText(spec.subtitle, bandHeight * 0.17, maxWidth, 0.55);
    const baseline = top + bandHeight * (spec.title ? 0.83 : 0.6);
    out.push(
      `<text x="${f(cx)}" y="${f(baseline)}" text-anchor="middle" font-family="${FONT}" font-size="${f(size)}" fill="${colors.text}" fill-opacity="0.85" letter-spacing="${f(size * 0.12)}">${escapeXml(spec.subtitle.toUpperCase())}</text>`,
    );
  }
  return out.join('');
}

function slotShape(slot: Slot, paint: string): string {
  const rotation = slot.rotation ?? 0;
  const cx = slot.x + slot.width / 2;
  const cy = slot.y + slot.height / 2;
  const transform = rotation ? ` transform="rotate(${f(rotation)} ${f(cx)} ${f(cy)})"` : '';
  const r = slot.borderRadius ?? 0;
  return `<rect x="${f(slot.x)}" y="${f(slot.y)}" width="${f(slot.width)}" height="${f(slot.height)}" rx="${f(r)}" ry="${f(r)}" ${paint}${transform}/>`;
}

/** A font size that keeps `text` within `maxWidth`, estimating glyphs at `ratio` × size wide. */
function fitText(text: string, preferred: number, maxWidth: number, ratio: number): number {
  return Math.max(8, Math.min(preferred, maxWidth / Math.max(1, text.length * ratio)));
}

function color(value: string): string {
  if (!COLOR.test(value)) throw new RangeError(`Not a hex colour: ${value}`);
  return value;
}

function escapeXml(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);
}

function f(value: number): string {
  return String(Math.round(value * 100) / 100);
}

/** Deterministic so a regenerated frame (seed re-run) is byte-identical. */
function seededRandom(seed: string): () => number {
  let state = 2166136261;
  for (const char of seed) state = Math.imul(state ^ char.charCodeAt(0), 16777619);
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
