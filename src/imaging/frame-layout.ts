import type { Slot } from './compose';

export type LayoutCount = 1 | 2 | 3 | 4 | 6 | 9;
export const LAYOUT_COUNTS: readonly LayoutCount[] = [1, 2, 3, 4, 6, 9];

export interface Canvas {
  width: number;
  height: number;
}

/** Share of the canvas height kept free under the photos for the title band. */
const BAND_SHARE = 0.13;

/**
 * Slot rectangles for `count` photos: one large slot, a strip for 2–3 (vertical on a portrait
 * canvas, horizontal on a landscape one), a grid for 4/6/9. Whole pixels, all inside the canvas,
 * with a band left free at the bottom for the title.
 */
export function layoutFor(count: LayoutCount, canvas: Canvas): Slot[] {
  const area = photoArea(canvas, BAND_SHARE);
  const [columns, rows] = gridOf(count, area.width >= area.height);
  return gridSlots(canvas, { columns, rows, count, band: BAND_SHARE });
}

export type FrameLayoutName = 'vertical' | 'horizontal' | 'grid';

/** Share of the canvas height left under the photos of a generated (AI) frame. */
const GENERATED_BAND_SHARE = 0.08;

/**
 * Slots of a generated frame (CONTRACT #40) for 1–9 photos: `vertical` stacks them in one column,
 * `horizontal` puts them side by side (two rows past three), `grid` makes rows of about equal
 * columns for the canvas shape. Cells keep a photo-like shape (between 3:4 and 16:9) and the
 * block is centred; an incomplete last row is centred too.
 */
export function frameSlots(
  count: number,
  layout: FrameLayoutName,
  canvas: Canvas,
  options: { borderRadius?: number } = {},
): Slot[] {
  if (!Number.isInteger(count) || count < 1 || count > 9) {
    throw new RangeError('A frame has 1 to 9 photo slots');
  }
  let columns: number;
  if (layout === 'vertical') columns = 1;
  else if (layout === 'horizontal') columns = count <= 3 ? count : Math.ceil(count / 2);
  else
    columns = Math.min(
      count,
      Math.max(1, Math.ceil(Math.sqrt((count * canvas.width) / canvas.height) - 1e-9)),
    );
  const rows = Math.ceil(count / columns);
  return gridSlots(canvas, {
    columns,
    rows,
    count,
    band: GENERATED_BAND_SHARE,
    aspect: { min: 3 / 4, max: 16 / 9 },
    borderRadius: options.borderRadius,
  });
}

interface GridOptions {
  columns: number;
  rows: number;
  /** Cells filled row by row; a shorter last row is centred. */
  count: number;
  /** Share of the canvas height kept free at the bottom. */
  band: number;
  /** Allowed width/height of a cell; a cell outside it is narrowed or shortened. */
  aspect?: { min: number; max: number };
  /** Corner radius of every slot; by default 3% of the shorter cell side. */
  borderRadius?: number;
}

/** Where the photos go: inside a 5% margin, above the band. */
function photoArea(canvas: Canvas, bandShare: number) {
  const { width, height } = canvas;
  const margin = Math.max(8, Math.round(Math.min(width, height) * 0.05));
  const band = Math.round(height * bandShare);
  return {
    gap: Math.max(6, Math.round(margin * 0.6)),
    x: margin,
    y: margin,
    width: width - 2 * margin,
    height: height - margin - band - margin / 2,
  };
}

function gridSlots(canvas: Canvas, options: GridOptions): Slot[] {
  const { columns, rows, count } = options;
  const area = photoArea(canvas, options.band);
  const { gap } = area;
  let cellWidth = Math.floor((area.width - gap * (columns - 1)) / columns);
  let cellHeight = Math.floor((area.height - gap * (rows - 1)) / rows);
  if (options.aspect) {
    if (cellWidth / cellHeight > options.aspect.max)
      cellWidth = Math.floor(cellHeight * options.aspect.max);
    if (cellWidth / cellHeight < options.aspect.min)
      cellHeight = Math.floor(cellWidth / options.aspect.min);
  }
  if (cellWidth < 1 || cellHeight < 1) throw new RangeError('Canvas too small for this layout');
  // Centre the grid: flooring the cells (and the aspect limits) leave pixels over.
  const rowWidth = (cells: number) => cellWidth * cells + gap * (cells - 1);
  const offsetY = area.y + Math.floor((area.height - (cellHeight * rows + gap * (rows - 1))) / 2);
  const maxRadius = Math.floor(Math.min(cellWidth, cellHeight) / 2);
  const radius = Math.min(
    maxRadius,
    Math.round(options.borderRadius ?? Math.min(cellWidth, cellHeight) * 0.03),
  );
  const slots: Slot[] = [];
  for (let row = 0; row < rows; row++) {
    const cells = Math.min(columns, count - row * columns);
    const offsetX = area.x + Math.floor((area.width - rowWidth(cells)) / 2);
    for (let column = 0; column < cells; column++) {
      slots.push({
        x: offsetX + column * (cellWidth + gap),
        y: offsetY + row * (cellHeight + gap),
        width: cellWidth,
        height: cellHeight,
        rotation: 0,
        borderRadius: radius,
      });
    }
  }
  return slots;
}

function gridOf(count: LayoutCount, landscape: boolean): [columns: number, rows: number] {
  switch (count) {
    case 1:
      return [1, 1];
    case 2:
    case 3:
      return landscape ? [count, 1] : [1, count];
    case 4:
      return [2, 2];
    case 6:
      return landscape ? [3, 2] : [2, 3];
    case 9:
      return [3, 3];
  }
}

/** True when every slot lies wholly inside the canvas (rotation ignored: its bounding box is checked by callers that allow it). */
export function slotsInside(slots: readonly Slot[], canvas: Canvas): boolean {
  return slots.every(
    (s) =>
      s.x >= 0 &&
      s.y >= 0 &&
      s.width > 0 &&
      s.height > 0 &&
      s.x + s.width <= canvas.width &&
      s.y + s.height <= canvas.height,
  );
}
