import sharp from 'sharp';
import type { FileStorage } from '../../src/lib/storage';
import { PhotoSessionModel, TemplateModel, UserModel } from '../../src/models';
import { signAccessToken } from '../../src/modules/auth/access-token';
import type { TestContext } from '../helpers/context';

let sequence = 0;
const next = () => (sequence += 1);

export interface TestUser {
  id: string;
  name: string;
  email: string;
  token: string;
  /** The Authorization header value. */
  auth: string;
}

export async function createUser(
  ctx: TestContext,
  overrides: { role?: 'user' | 'admin'; isPremium?: boolean; premiumExpiresAt?: Date | null } = {},
): Promise<TestUser> {
  const n = next();
  const user = await UserModel.create({
    name: `Booth User ${n}`,
    email: `booth${n}-${Date.now()}@karyaklik.com`,
    password: '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo',
    role: overrides.role ?? 'user',
    isPremium: overrides.isPremium ?? false,
    premiumExpiresAt: overrides.premiumExpiresAt ?? null,
  });
  const token = signAccessToken(ctx.config, {
    userId: String(user._id),
    email: user.email,
    name: user.name,
    role: user.role === 'admin' ? 'admin' : 'user',
    tv: 0,
  });
  return {
    id: String(user._id),
    name: user.name,
    email: user.email,
    token,
    auth: `Bearer ${token}`,
  };
}

export const FRAME_CANVAS = { width: 600, height: 900 } as const;
export const FRAME_COLOR: [number, number, number] = [255, 0, 255];
/** An opaque "sticker" of the frame that overlaps slot 1: it must stay on top of the photo. */
export const FRAME_STICKER = { x: 40, y: 40, size: 40 } as const;

/** A 2×2 grid of slots in a 600×900 frame. */
export const FOUR_SLOTS = [
  { x: 30, y: 30, width: 255, height: 375 },
  { x: 315, y: 30, width: 255, height: 375 },
  { x: 30, y: 465, width: 255, height: 375 },
  { x: 315, y: 465, width: 255, height: 375 },
];

/** An opaque magenta PNG frame with transparent holes at the slots, plus the sticker. */
export async function framePng(slots = FOUR_SLOTS, canvas = FRAME_CANVAS): Promise<Buffer> {
  const { width, height } = canvas;
  const rgba = Buffer.alloc(width * height * 4);
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      const inSlot = slots.some(
        (s) => x >= s.x && x < s.x + s.width && y >= s.y && y < s.y + s.height,
      );
      const inSticker =
        x >= FRAME_STICKER.x &&
        x < FRAME_STICKER.x + FRAME_STICKER.size &&
        y >= FRAME_STICKER.y &&
        y < FRAME_STICKER.y + FRAME_STICKER.size;
      const offset = (y * width + x) * 4;
      rgba[offset] = FRAME_COLOR[0];
      rgba[offset + 1] = FRAME_COLOR[1];
      rgba[offset + 2] = FRAME_COLOR[2];
      rgba[offset + 3] = inSlot && !inSticker ? 0 : 255;
    }
  }
  return sharp(rgba, { raw: { width, height, channels: 4 } })
    .png()
    .toBuffer();
}

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

/** Every stored file under the uploads root, as storage keys. */
export async function storedKeys(storage: FileStorage, folder?: string): Promise<string[]> {
  const { readdir } = await import('node:fs/promises');
  const entries = await readdir(storage.root, { recursive: true, withFileTypes: true }).catch(
    () => [],
  );
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => `${entry.parentPath}/${entry.name}`.slice(storage.root.length + 1))
    .filter((key) => !folder || key.startsWith(`${folder}/`));
}
