import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { TemplateModel } from '../../src/models';
import { createUser, signIn, type TestUser } from '../factories/users.factory';
import { svgFrame } from '../factories/templates.factory';
import { useTestContext, type TestContext } from './context';

/** The upload limit the template files run with (a 413 is asked for just above it). */
export const TEMPLATE_MAX_UPLOAD = 3 * 1024 * 1024;

export interface TemplateUsers {
  admin: TestUser;
  alice: TestUser;
  bob: TestUser;
}

/**
 * A template test file's context: an admin and two users signed in once, and no templates left
 * over from the previous test.
 */
export function useTemplatesContext(label: string): { ctx: TestContext; users: TemplateUsers } {
  const ctx = useTestContext(label, { MAX_UPLOAD_BYTES: String(TEMPLATE_MAX_UPLOAD) });
  const users = {} as TemplateUsers;
  beforeAll(async () => {
    users.admin = await signIn(ctx, await createUser({ role: 'admin' }));
    users.alice = await signIn(ctx, await createUser());
    users.bob = await signIn(ctx, await createUser());
  });
  beforeEach(async () => {
    await TemplateModel.deleteMany({});
  });
  return { ctx, users };
}

/** Every file under the local uploads' `templates/` folder, sorted. */
export function templateFiles(ctx: TestContext): string[] {
  const root = path.join(ctx.uploadsDir, 'templates');
  const out: string[] = [];
  const walk = (dir: string) => {
    if (!existsSync(dir)) return;
    for (const name of readdirSync(dir)) {
      const full = path.join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else out.push(full);
    }
  };
  walk(root);
  return out.sort();
}

/** The local file behind a storage URL. */
export function fileOf(ctx: TestContext, url: string): string {
  const key = ctx.storage.keyFromUrl(url);
  if (!key) throw new Error(`not a storage URL: ${url}`);
  return path.join(ctx.uploadsDir, key);
}

/** A valid create body: a four-slot SVG frame as a data URL. */
export function createTemplateBody(overrides: Record<string, unknown> = {}) {
  const { dataUrl, slots } = svgFrame(4);
  return {
    name: 'Pesta Ulang Tahun',
    category: 'Birthday',
    frameUrl: dataUrl,
    isPremium: false,
    frameCount: 4,
    layoutPositions: slots.map(({ x, y, width, height }) => ({ x, y, width, height })),
    isActive: true,
    ...overrides,
  };
}
