import type { GenerateFrameSpec } from '../../src/modules/ai-frames/ai-frames.schemas';
import { generateAiFrame } from '../../src/modules/ai-frames/frame-generator';
import { UserSubmittedFrameModel } from '../../src/models';
import { toDataUrl } from '../fixtures/images';
import { holedFrame, holeGrid } from '../fixtures/frames';
import { createUser } from './users.factory';
import { layoutSlots } from './model.factory';

/** A user with an active KaryaKlik Pro (a month left). */
export function createProUser(overrides: Record<string, unknown> = {}) {
  return createUser({
    isPremium: true,
    premiumExpiresAt: new Date(Date.now() + 30 * 24 * 3600 * 1000),
    ...overrides,
  });
}

/** What the AI creator sends to /ai/generate-frame (CONTRACT #40). */
export const GENERATE_BODY: GenerateFrameSpec = {
  frameCount: 3,
  layout: 'vertical',
  backgroundColor: '#1E88E5',
  borderColor: '#D4AF37',
  gradientFrom: '#1E88E5',
  gradientTo: '#8E24AA',
  borderThickness: 2,
  borderRadius: 8,
};

let sequence = 0;

/** A /ai/save-frame body as the client builds it, with the generated SVG as a data URL. */
export function saveFrameBody(overrides: Record<string, unknown> = {}) {
  sequence += 1;
  const { frameSpec, ...rest } = overrides;
  const spec = { ...GENERATE_BODY, ...(frameSpec as object | undefined) };
  const { svg } = generateAiFrame(spec);
  return {
    name: `Frame Biru ${sequence}`,
    frameSpec: spec,
    frameDataUrl: toDataUrl(Buffer.from(svg), 'image/svg+xml'),
    visibility: 'private',
    description: 'Bingkai AI untuk 3 foto',
    tags: ['AI Generated', spec.layout, `${spec.frameCount} Photos`],
    ...rest,
  };
}

/** A /user-submissions/frames body: a PNG frame with `count` transparent holes and its slots. */
export async function submissionBody(count = 3, overrides: Record<string, unknown> = {}) {
  sequence += 1;
  const holes = holeGrid(count, count <= 3 ? 1 : count === 4 ? 2 : 3);
  const frame = await holedFrame(holes);
  return {
    name: `Community Frame ${sequence}`,
    description: `A ${count}-photo Birthday frame`,
    frameUrl: toDataUrl(frame, 'image/png'),
    thumbnail: toDataUrl(frame, 'image/png'),
    frameCount: count,
    layout: count <= 3 ? 'vertical' : 'grid',
    frameSpec: { category: 'Birthday', userId: 'sent-by-the-client' },
    layoutPositions: holes.map((h) => ({
      x: h.x,
      y: h.y,
      width: h.width,
      height: h.height,
      borderRadius: 0,
      rotation: 0,
    })),
    ...overrides,
  };
}

/** A submission document straight in the database (no files), for list and filter tests. */
export function insertSubmission(userId: string, overrides: Record<string, unknown> = {}) {
  sequence += 1;
  const frameCount = typeof overrides.frameCount === 'number' ? overrides.frameCount : 2;
  return UserSubmittedFrameModel.create({
    userId,
    name: `Listed Submission ${sequence}`,
    frameUrl: `http://api.test/uploads/submissions/f${sequence}.png`,
    thumbnail: `http://api.test/uploads/submissions/t${sequence}.png`,
    frameCount,
    layout: 'vertical',
    frameSpec: { category: 'General' },
    layoutPositions: layoutSlots(frameCount),
    canvasWidth: 600,
    canvasHeight: 900,
    ...overrides,
  });
}
