import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FileStorage } from '../../src/lib/storage';
import { LocalFileStorage } from '../../src/lib/storage-local';

describe('LocalFileStorage', () => {
  let root: string;
  let storage: LocalFileStorage;
  beforeEach(() => {
    root = mkdtempSync(path.join(os.tmpdir(), 'kk-storage-'));
    storage = new LocalFileStorage({
      root,
      publicBaseUrl: 'https://api.test',
      urlSecret: 'x'.repeat(32),
      urlTtlSeconds: 3600,
    });
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('when saving, then the file gets a random key in its folder and no temp file remains', async () => {
    const a = await storage.save('captures', 'jpg', Buffer.from('one'));
    const b = await storage.save('captures', 'jpg', Buffer.from('two'));
    expect(a.key).toMatch(/^captures\/[0-9a-f]{2}\/[0-9a-f]{32}\.jpg$/);
    expect(a.key).not.toBe(b.key);
    expect(readFileSync(storage.pathOf(a.key), 'utf8')).toBe('one');
    const dir = path.dirname(storage.pathOf(a.key));
    expect(readdirSync(dir).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('builds absolute public URLs and maps them back to keys', async () => {
    const { key } = await storage.save('templates', 'png', Buffer.from('x'));
    expect(storage.publicUrl(key)).toBe(`https://api.test/uploads/${key}`);
    expect(storage.keyFromUrl(storage.publicUrl(key))).toBe(key);
    expect(storage.keyFromUrl(storage.signedUrl(key))).toBe(key);
    expect(storage.keyFromUrl('https://elsewhere.test/uploads/' + key)).toBeUndefined();
  });

  it('when a signed URL is checked, then only the untampered, unexpired signature passes', async () => {
    const { key } = await storage.save('composites', 'jpg', Buffer.from('x'));
    const url = storage.signedUrl(key);
    expect(url).not.toContain('?');
    const [, expires, signature] = /\/uploads\/s\/(\d+)\/([^/]+)\//.exec(url) ?? [];
    expect(storage.verifySignature(key, Number(expires), String(signature))).toBe(true);
    expect(storage.verifySignature(key, Number(expires) + 1, String(signature))).toBe(false);
    expect(
      storage.verifySignature(
        key.replace('composites', 'captures'),
        Number(expires),
        String(signature),
      ),
    ).toBe(false);
    expect(
      storage.verifySignature(
        key,
        Number(expires),
        String(signature),
        (Number(expires) + 1) * 1000,
      ),
    ).toBe(false);
  });

  it('refuses keys that could escape the storage root', () => {
    expect(() => storage.pathOf('../etc/passwd')).toThrow(/Invalid storage key/);
    expect(FileStorage.isValidKey('captures/ab/../../x.jpg')).toBe(false);
  });

  it('when removing, then missing files are not an error', async () => {
    const { key } = await storage.save('captures', 'jpg', Buffer.from('x'));
    await storage.remove(key, key, undefined, 'not-a-key');
    expect(existsSync(storage.pathOf(key))).toBe(false);
  });
});
