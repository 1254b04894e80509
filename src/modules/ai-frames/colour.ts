/** `#RRGGBB` colour arithmetic for generated frames (sRGB, no colour management). */

export const HEX_COLOUR = /^#[0-9A-Fa-f]{6}$/;

type Rgb = [number, number, number];

/** `#abc`, `#aabbcc` (any case) → `#AABBCC`; anything else → undefined. */
export function normalizeHex(value: string): string | undefined {
  const match = /^#?([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(value.trim());
  if (!match) return undefined;
  const digits = match[1]!;
  const full =
    digits.length === 3
      ? digits
          .split('')
          .map((d) => d + d)
          .join('')
      : digits;
  return `#${full.toUpperCase()}`;
}

export function rgbToHex(r: number, g: number, b: number): string {
  return `#${[r, g, b]
    .map((v) =>
      Math.max(0, Math.min(255, Math.round(v)))
        .toString(16)
        .padStart(2, '0'),
    )
    .join('')
    .toUpperCase()}`;
}

function rgbOf(hex: string): Rgb {
  const value = parseInt(hex.slice(1), 16);
  return [(value >> 16) & 255, (value >> 8) & 255, value & 255];
}

/** The colour `share` (0 … 1) of the way from `a` to `b`. */
export function mix(a: string, b: string, share: number): string {
  const [ar, ag, ab] = rgbOf(a);
  const [br, bg, bb] = rgbOf(b);
  return rgbToHex(ar + (br - ar) * share, ag + (bg - ag) * share, ab + (bb - ab) * share);
}

export const lighten = (hex: string, share: number) => mix(hex, '#FFFFFF', share);
export const darken = (hex: string, share: number) => mix(hex, '#000000', share);

/** Straight-line distance in RGB (0 … 441): below ~80 two colours read as "the same". */
export function colourDistance(a: string, b: string): number {
  const [ar, ag, ab] = rgbOf(a);
  const [br, bg, bb] = rgbOf(b);
  return Math.hypot(ar - br, ag - bg, ab - bb);
}

/** WCAG relative luminance, 0 (black) … 1 (white). */
export function luminance(hex: string): number {
  const [r, g, b] = rgbOf(hex).map((v) => {
    const c = v / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }) as Rgb;
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

export const isLight = (hex: string) => luminance(hex) > 0.45;

/** Rotates the hue by `degrees`, keeping saturation and lightness (HSL). */
export function shiftHue(hex: string, degrees: number): string {
  const [r, g, b] = rgbOf(hex).map((v) => v / 255) as Rgb;
  const max = Math.max(r, g, b);
  const min = Math.min(r, g, b);
  const l = (max + min) / 2;
  if (max === min) return hex;
  const d = max - min;
  const s = l > 0.5 ? d / (2 - max - min) : d / (max + min);
  let h = max === r ? (g - b) / d + (g < b ? 6 : 0) : max === g ? (b - r) / d + 2 : (r - g) / d + 4;
  h = (((h * 60 + degrees) % 360) + 360) % 360;
  const q = l < 0.5 ? l * (1 + s) : l + s - l * s;
  const p = 2 * l - q;
  const channel = (t: number) => {
    const u = t < 0 ? t + 1 : t > 1 ? t - 1 : t;
    if (u < 1 / 6) return p + (q - p) * 6 * u;
    if (u < 1 / 2) return q;
    if (u < 2 / 3) return p + (q - p) * (2 / 3 - u) * 6;
    return p;
  };
  const k = h / 360;
  return rgbToHex(channel(k + 1 / 3) * 255, channel(k) * 255, channel(k - 1 / 3) * 255);
}

/** A second gradient stop that reads as "the same colour, richer": darker and a little warmer. */
export function gradientPartner(hex: string): string {
  return isLight(hex) ? darken(shiftHue(hex, -12), 0.18) : lighten(shiftHue(hex, 14), 0.22);
}

/** A line colour that stands out on a background: white on dark, a deep shade on light. */
export function contrastLine(background: string): string {
  return isLight(background) ? darken(background, 0.55) : '#FFFFFF';
}
