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
  const { width, height } = canvas;
  const margin = Math.max(8, Math.round(Math.min(width, height) * 0.05));
  const gap = Math.max(6, Math.round(margin * 0.6));
  const band = Math.round(height * BAND_SHARE);
  const area = {
    x: margin,
    y: margin,
    width: width - 2 * margin,
    height: height - margin - band - margin / 2,
  };
  const [columns, rows] = gridOf(count, area.width >= area.height);
  const cellWidth = Math.floor((area.width - gap * (columns - 1)) / columns);
  const cellHeight = Math.floor((area.height - gap * (rows - 1)) / rows);
  if (cellWidth < 1 || cellHeight < 1) throw new RangeError('Canvas too small for this layout');
  // Centre the grid: flooring the cells leaves a few pixels over.
  const offsetX =
    area.x + Math.floor((area.width - (cellWidth * columns + gap * (columns - 1))) / 2);
  const offsetY = area.y + Math.floor((area.height - (cellHeight * rows + gap * (rows - 1))) / 2);
  const radius = Math.round(Math.min(cellWidth, cellHeight) * 0.03);
  const slots: Slot[] = [];
  for (let row = 0; row < rows; row++) {
    for (let column = 0; column < columns; column++) {
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
