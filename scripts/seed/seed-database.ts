import type { Config } from '../../src/config';
import { generateFrameSvg, layoutFor, slotsInside } from '../../src/imaging/frame-art';
import { sanitizeSvg } from '../../src/imaging/svg';
import { renderTemplatePreview } from '../../src/imaging/template-images';
import type { Logger } from '../../src/lib/logger';
import type { FileStorage } from '../../src/lib/storage';
import { TemplateModel, UserModel } from '../../src/models';
import { hashPassword } from '../../src/modules/auth/secrets';
import { STARTER_TEMPLATES, type StarterTemplate } from './starter-templates';

export interface SeedDeps {
  config: Readonly<Config>;
  storage: FileStorage;
  logger: Logger;
}

export interface SeedReport {
  admin: 'created' | 'exists' | 'skipped';
  templatesCreated: number;
  templatesExisting: number;
}

const THUMBNAIL_WIDTH = 480;

/**
 * Creates the admin account and the starter template library. Idempotent: an existing admin (by
 * e-mail) and existing templates (by seed key) are left exactly as they are, files included.
 */
export async function seedDatabase(deps: SeedDeps): Promise<SeedReport> {
  const admin = await seedAdmin(deps);
  let templatesCreated = 0;
  for (const starter of STARTER_TEMPLATES) {
    if (await seedTemplate(starter, deps)) templatesCreated += 1;
  }
  const report = {
    admin,
    templatesCreated,
    templatesExisting: STARTER_TEMPLATES.length - templatesCreated,
  };
  deps.logger.info(report, 'seed finished');
  return report;
}

async function seedAdmin({ config, logger }: SeedDeps): Promise<SeedReport['admin']> {
  const { email, password, name } = config.admin;
  if (!email || !password) {
    logger.warn('ADMIN_EMAIL or ADMIN_PASSWORD is not set: no admin account was created');
    return 'skipped';
  }
  const existing = await UserModel.findOne({ email }).select('role').lean();
  if (existing) {
    if (existing.role !== 'admin')
      logger.warn(
        { email },
        'an account with ADMIN_EMAIL exists but is not an admin; left unchanged',
      );
    return 'exists';
  }
  try {
    await UserModel.create({
      name,
      email,
      password: await hashPassword(password),
      role: 'admin',
      isEmailVerified: true,
      isActive: true,
    });
  } catch (error) {
    // Another seed run created it between our read and write.
    if (isDuplicateKey(error)) return 'exists';
    throw error;
  }
  logger.info({ email }, 'admin account created');
  return 'created';
}

/** True when the template was created now, false when it already existed. */
async function seedTemplate(starter: StarterTemplate, { storage }: SeedDeps): Promise<boolean> {
  if (await TemplateModel.exists({ seedKey: starter.seedKey })) return false;

  const slots = layoutFor(starter.count, starter.canvas);
  if (!slotsInside(slots, starter.canvas))
    throw new Error(`Seed layout of ${starter.seedKey} leaves the canvas`);
  const svg = generateFrameSvg({
    ...starter.canvas,
    slots,
    title: starter.title,
    subtitle: starter.subtitle,
    colors: starter.colors,
    style: starter.style,
  });
  // The generator's output goes through the same sanitiser as an upload would.
  const frame = Buffer.from(sanitizeSvg(svg).svg);
  const preview = await renderTemplatePreview(frame, starter.canvas, slots, {
    width: THUMBNAIL_WIDTH,
  });

  const frameFile = await storage.save('templates', 'svg', frame);
  const keys = [frameFile.key];
  try {
    const thumbFile = await storage.save('templates', 'webp', preview.data);
    keys.push(thumbFile.key);
    await TemplateModel.create({
      seedKey: starter.seedKey,
      name: starter.name,
      category: starter.category,
      description: starter.description,
      tags: starter.tags,
      isPremium: starter.isPremium,
      isActive: true,
      visibility: 'public',
      frameCount: starter.count,
      layoutPositions: slots,
      canvasWidth: starter.canvas.width,
      canvasHeight: starter.canvas.height,
      frameUrl: storage.publicUrl(frameFile.key),
      thumbnail: storage.publicUrl(thumbFile.key),
    });
    return true;
  } catch (error) {
    await storage.remove(...keys);
    if (isDuplicateKey(error)) return false;
    throw error;
  }
}

function isDuplicateKey(error: unknown): boolean {
  return (
    typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 11000
  );
}
