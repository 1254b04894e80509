import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import argon2 from 'argon2';
import sharp from 'sharp';
import { slotsInside } from '../../src/imaging/frame-art';
import { sanitizeSvg } from '../../src/imaging/svg';
import { TemplateModel, UserModel } from '../../src/models';
import { seedDatabase } from '../../scripts/seed/seed-database';
import { STARTER_TEMPLATES } from '../../scripts/seed/starter-templates';
import { useTestContext } from '../helpers/context';

const ctx = useTestContext('seed');

function filesUnder(dir: string): Array<[string, number]> {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name): Array<[string, number]> => {
    const full = path.join(dir, name);
    const stat = statSync(full);
    return stat.isDirectory() ? filesUnder(full) : [[full, stat.mtimeMs]];
  });
}

function deps() {
  return { config: ctx.config, storage: ctx.storage, logger: ctx.logger };
}

describe('seedDatabase', () => {
  it('creates the admin and the starter templates once; a second run changes nothing', async () => {
    const first = await seedDatabase(deps());
    expect(first).toEqual({
      admin: 'created',
      templatesCreated: STARTER_TEMPLATES.length,
      templatesExisting: 0,
    });

    const admin = await UserModel.findOne({ email: 'admin@karyaklik.test' })
      .select('+password')
      .lean();
    expect(admin).toMatchObject({ role: 'admin', isEmailVerified: true, isActive: true });
    expect(admin?.password?.startsWith('$argon2id$')).toBe(true);
    expect(await argon2.verify(admin!.password!, 'admin-password-123')).toBe(true);

    const templates = await TemplateModel.find().lean();
    expect(templates).toHaveLength(STARTER_TEMPLATES.length);
    expect(new Set(templates.map((t) => t.frameCount))).toEqual(new Set([1, 2, 3, 4, 6, 9]));
    expect(new Set(templates.map((t) => t.category)).size).toBeGreaterThanOrEqual(6);
    expect(templates.some((t) => t.isPremium)).toBe(true);
    expect(templates.some((t) => !t.isPremium)).toBe(true);

    for (const template of templates) {
      expect(template.layoutPositions).toHaveLength(template.frameCount);
      const canvas = { width: template.canvasWidth!, height: template.canvasHeight! };
      expect(slotsInside(template.layoutPositions, canvas)).toBe(true);
      expect(template.frameUrl).toMatch(/^http:\/\/api\.test\/uploads\/templates\/.+\.svg$/);
      expect(template.thumbnail).toMatch(/^http:\/\/api\.test\/uploads\/templates\/.+\.webp$/);
      const svg = await ctx.storage.read(ctx.storage.keyFromUrl(template.frameUrl)!);
      expect(sanitizeSvg(svg)).toMatchObject(canvas);
      const thumb = await sharp(
        await ctx.storage.read(ctx.storage.keyFromUrl(template.thumbnail)!),
      ).metadata();
      expect(thumb.format).toBe('webp');
      expect(thumb.width).toBe(480);
      expect(thumb.height).toBe(Math.round((canvas.height * 480) / canvas.width));
    }
    const files = filesUnder(path.join(ctx.uploadsDir, 'templates'));
    expect(files).toHaveLength(STARTER_TEMPLATES.length * 2);

    const snapshot = JSON.stringify(await TemplateModel.find().sort({ _id: 1 }).lean());
    const adminSnapshot = JSON.stringify(await UserModel.find().select('+password').lean());
    const second = await seedDatabase(deps());
    expect(second).toEqual({
      admin: 'exists',
      templatesCreated: 0,
      templatesExisting: STARTER_TEMPLATES.length,
    });
    expect(JSON.stringify(await TemplateModel.find().sort({ _id: 1 }).lean())).toBe(snapshot);
    expect(JSON.stringify(await UserModel.find().select('+password').lean())).toBe(adminSnapshot);
    expect(filesUnder(path.join(ctx.uploadsDir, 'templates')).sort()).toEqual(files.sort());
  });

  it('skips the admin when ADMIN_EMAIL or ADMIN_PASSWORD is not set', async () => {
    const config = { ...ctx.config, admin: { ...ctx.config.admin, email: '', password: '' } };
    const report = await seedDatabase({ ...deps(), config });
    expect(report.admin).toBe('skipped');
  });

  it('seed keys are unique', () => {
    expect(new Set(STARTER_TEMPLATES.map((t) => t.seedKey)).size).toBe(STARTER_TEMPLATES.length);
  });
});
