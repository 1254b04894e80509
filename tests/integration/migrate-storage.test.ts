import request from 'supertest';
import { LocalFileStorage } from '../../src/lib/storage-local';
import { FinalCompositeModel, TemplateModel, UserModel } from '../../src/models';
import { migrateStorage } from '../../src/modules/files/storage-migration';
import { useTestContext } from '../helpers/context';
import { storedKeys } from '../helpers/storage';
import { createComposite } from '../factories/composites.factory';
import { createTemplate } from '../factories/sessions.factory';
import { createUser } from '../factories/users.factory';
import { solidImage } from '../fixtures/images';

// The app runs on the bucket, with always-public files behind a CDN base; the files to migrate
// sit on local disk (the context's empty uploads dir), as the local driver wrote them.
const CDN = 'http://cdn.test/kk';
const ctx = useTestContext('migrate_storage', { STORAGE_DRIVER: 's3', STORAGE_PUBLIC_URL: CDN });

function localStorage(): LocalFileStorage {
  return new LocalFileStorage({
    root: ctx.uploadsDir,
    publicBaseUrl: ctx.config.publicBaseUrl,
    urlSecret: ctx.config.files.urlSecret,
    urlTtlSeconds: ctx.config.files.urlTtlSeconds,
  });
}

async function snapshot(): Promise<string> {
  const [templates, composites, users] = await Promise.all([
    TemplateModel.find().sort({ _id: 1 }).lean(),
    FinalCompositeModel.find().sort({ _id: 1 }).lean(),
    UserModel.find().sort({ _id: 1 }).lean(),
  ]);
  return JSON.stringify({ templates, composites, users });
}

it('copies local files into the bucket and rewrites URLs; an interrupted run resumes; a second run changes nothing', async () => {
  const source = localStorage();
  const templates = await Promise.all([createTemplate(source), createTemplate(source)]);
  const owner = await createUser();
  const composite = await createComposite(source, String(owner._id));
  const avatar = await source.save('profiles', 'jpg', await solidImage(40, 40, '#abcdef'));
  // An old relative URL, as the previous server stored them.
  await UserModel.updateOne(
    { _id: owner._id },
    { $set: { profilePicture: `/uploads/${avatar.key}` } },
  );
  // A URL whose file is missing locally stays as it is (never a URL to nothing).
  const missing = source.derivedKey('templates', 'gone', 'png');
  const orphanUrl = source.publicUrl(missing);
  await TemplateModel.updateOne({ _id: templates[1]!._id }, { $set: { thumbnail: orphanUrl } });
  const localKeys = (await storedKeys(source)).sort();
  expect(localKeys).toHaveLength(4);
  expect(await storedKeys(ctx.storage)).toEqual([]);

  // Interrupted after two files.
  let copiedBeforeCrash = 0;
  await expect(
    migrateStorage({
      source,
      target: ctx.storage,
      publicBaseUrl: ctx.config.publicBaseUrl,
      onCopied: () => {
        copiedBeforeCrash += 1;
        if (copiedBeforeCrash === 2) throw new Error('killed');
      },
    }),
  ).rejects.toThrow('killed');
  expect(await storedKeys(ctx.storage)).toHaveLength(2);
  // Nothing was rewritten yet: every URL still points at a file that exists.
  expect((await TemplateModel.findById(templates[0]!._id).lean())!.frameUrl).toBe(
    templates[0]!.frameUrl,
  );

  const resumed = await migrateStorage({
    source,
    target: ctx.storage,
    publicBaseUrl: ctx.config.publicBaseUrl,
  });
  expect(resumed).toEqual({ copied: 2, alreadyThere: 2, urlsRewritten: 4 });
  expect((await storedKeys(ctx.storage)).sort()).toEqual(localKeys);
  for (const key of localKeys) {
    expect((await ctx.storage.read(key)).equals(await source.read(key))).toBe(true);
  }

  // Always-public files now point at the CDN base; the private composite keeps its API URL
  // (served by the API from the bucket); the orphan URL is unchanged.
  const [first, second] = await Promise.all(
    templates.map((t) => TemplateModel.findById(t._id).lean()),
  );
  const frameKey = source.keyFromUrl(templates[0]!.frameUrl)!;
  expect(first).toMatchObject({ frameUrl: `${CDN}/${frameKey}`, thumbnail: `${CDN}/${frameKey}` });
  expect(second!.thumbnail).toBe(orphanUrl);
  expect(second!.frameUrl).toMatch(new RegExp(`^${CDN}/templates/`));
  expect((await UserModel.findById(owner._id).lean())!.profilePicture).toBe(`${CDN}/${avatar.key}`);
  const movedComposite = await FinalCompositeModel.findById(composite._id).lean();
  expect(movedComposite!.compositeUrl).toBe(composite.compositeUrl);
  expect(ctx.storage.keyFromUrl(first!.frameUrl)).toBe(frameKey);

  // The API (on the bucket) serves the migrated private file through a signed URL.
  const signed = new URL(ctx.storage.signedUrl(composite.compositeKey!)).pathname;
  const served = await request(ctx.app).get(signed).buffer(true);
  expect(served.status).toBe(200);
  expect(
    Buffer.from(served.body as Buffer).equals(await source.read(composite.compositeKey!)),
  ).toBe(true);

  const before = await snapshot();
  const again = await migrateStorage({
    source,
    target: ctx.storage,
    publicBaseUrl: ctx.config.publicBaseUrl,
  });
  expect(again).toEqual({ copied: 0, alreadyThere: 4, urlsRewritten: 0 });
  expect(await snapshot()).toBe(before);
}, 120_000);
