import { frameSlots, generateFrameSvg } from '../../imaging/frame-art';
import type { Slot } from '../../imaging/compose';
import { contrastLine } from './colour';
import type { GenerateFrameSpec } from './ai-frames.schemas';

/** Every generated frame is a 600×900 portrait (CONTRACT #40). */
export const AI_FRAME_CANVAS = { width: 600, height: 900 } as const;

export interface GeneratedFrame {
  svg: string;
  width: number;
  height: number;
  /** Where the photo holes are, in frame pixels: exactly the transparent cut-outs of the SVG. */
  layoutPositions: Array<Required<Slot>>;
}

/** The photo slots of a spec on a canvas (save-frame uses the uploaded SVG's own size). */
export function slotsForSpec(
  spec: Pick<GenerateFrameSpec, 'frameCount' | 'layout' | 'borderRadius'>,
  canvas: { width: number; height: number } = AI_FRAME_CANVAS,
): Array<Required<Slot>> {
  const scale = Math.min(canvas.width, canvas.height) / AI_FRAME_CANVAS.width;
  return frameSlots(spec.frameCount, spec.layout, canvas, {
    borderRadius: spec.borderRadius * scale,
  }).map((s) => ({ ...s, rotation: s.rotation ?? 0, borderRadius: s.borderRadius ?? 0 }));
}

/**
 * A self-contained SVG frame: gradient (or flat) background, the style's decoration, a line of
 * `borderColor` and `borderThickness` around every photo, rounded by `borderRadius`, and the photo
 * holes cut out by a mask so they are transparent.
 */
export function generateAiFrame(spec: GenerateFrameSpec): GeneratedFrame {
  const canvas = AI_FRAME_CANVAS;
  const layoutPositions = slotsForSpec(spec, canvas);
  const from = spec.gradientFrom ?? spec.backgroundColor;
  const to = spec.gradientTo ?? (spec.gradientFrom ? spec.backgroundColor : from);
  const svg = generateFrameSvg({
    ...canvas,
    slots: layoutPositions,
    title: spec.title || undefined,
    colors: { from, to, accent: spec.borderColor, text: contrastLine(from) },
    style: spec.style ?? 'classic',
    slotBorder: { color: spec.borderColor, width: spec.borderThickness },
  });
  return { svg, ...canvas, layoutPositions };
}
