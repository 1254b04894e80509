import type { FileStorage } from '../../src/lib/storage';
import { PhotoSessionModel, TemplateModel } from '../../src/models';
import { FOUR_SLOTS, FRAME_CANVAS, framePng } from '../fixtures/frames';

let sequence = 0;
const next = () => (sequence += 1);

export async function createTemplate(
  storage: FileStorage,
  overrides: {
    isPremium?: boolean;
    visibility?: 'public' | 'private';
    createdBy?: string;
    slots?: typeof FOUR_SLOTS;
    isActive?: boolean;
  } = {},
) {
  const slots = overrides.slots ?? FOUR_SLOTS;
  const frame = await storage.save('templates', 'png', await framePng(slots));
  return TemplateModel.create({
    name: `Booth Template ${next()}`,
    category: 'Birthday',
    thumbnail: storage.publicUrl(frame.key),
    frameUrl: storage.publicUrl(frame.key),
    frameCount: slots.length,
    layoutPositions: slots,
    canvasWidth: FRAME_CANVAS.width,
    canvasHeight: FRAME_CANVAS.height,
    isPremium: overrides.isPremium ?? false,
    visibility: overrides.visibility ?? 'public',
    isActive: overrides.isActive ?? true,
    ...(overrides.createdBy ? { createdBy: overrides.createdBy } : {}),
  });
}

export async function createSessionDoc(userId: string, overrides: Record<string, unknown> = {}) {
  return PhotoSessionModel.create({
    userId,
    templateId: `ai-generated-${Date.now()}`,
    sessionName: `Photo Session ${next()}`,
    ...overrides,
  });
}
