import { generateFrameSvg, layoutFor, type LayoutCount } from '../../src/imaging/frame-art';
import { TemplateModel, UserGeneratedFrameModel } from '../../src/models';
import { layoutSlots } from './model.factory';

export const FRAME_COLORS = { from: '#ff7eb3', to: '#7a5cff', accent: '#ffd166', text: '#ffffff' };

/** A generated SVG frame and its slots, as an admin would upload it. */
export function svgFrame(count: LayoutCount = 4, canvas = { width: 600, height: 900 }) {
  const slots = layoutFor(count, canvas);
  const svg = generateFrameSvg({ ...canvas, slots, title: 'Test Frame', colors: FRAME_COLORS });
  return {
    svg,
    slots,
    canvas,
    dataUrl: `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`,
  };
}

let sequence = 0;

/** A template document straight in the database (no files), for list and visibility tests. */
export function insertTemplate(overrides: Record<string, unknown> = {}) {
  sequence += 1;
  const frameCount = typeof overrides.frameCount === 'number' ? overrides.frameCount : 3;
  return TemplateModel.create({
    name: `Listed Template ${sequence}`,
    category: 'Birthday',
    thumbnail: `http://api.test/uploads/templates/t${sequence}.webp`,
    frameUrl: `http://api.test/uploads/templates/f${sequence}.svg`,
    frameCount,
    layoutPositions: layoutSlots(frameCount),
    canvasWidth: 900,
    canvasHeight: 1200,
    ...overrides,
  });
}

export function insertUserFrame(userId: string, overrides: Record<string, unknown> = {}) {
  sequence += 1;
  return UserGeneratedFrameModel.create({
    userId,
    name: `My AI Frame ${sequence}`,
    frameUrl: `http://api.test/uploads/frames/f${sequence}.svg`,
    thumbnail: `http://api.test/uploads/frames/t${sequence}.png`,
    frameCount: 2,
    layoutPositions: layoutSlots(2),
    canvasWidth: 900,
    canvasHeight: 1200,
    ...overrides,
  });
}
