import { Readable } from 'node:stream';
import request from 'supertest';
import { FileStorage } from '../../src/lib/storage';
import type { TestContext } from './context';
import { storedKeys } from './storage';

const ORIGIN = 'http://localhost:5173';

function bytes(size: number, seed: number): Buffer {
  const out = Buffer.alloc(size);
  for (let i = 0; i < size; i += 1) out[i] = (i * 31 + seed) & 0xff;
  return out;
}

/** A stream that hands its bytes over in small chunks, asynchronously (like an upload). */
function chunked(data: Buffer, chunkSize = 64 * 1024): Readable {
  let offset = 0;
  return new Readable({
    read() {
      setImmediate(() => {
        if (offset >= data.length) return this.push(null);
        this.push(data.subarray(offset, offset + chunkSize));
        offset += chunkSize;
      });
    },
  });
}

async function drain(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/**
 * The behaviour every storage driver must have, run by one test file per driver against the
 * context's storage and app (which only see the FileStorage interface).
 */
export function describeStorageContract(ctx: TestContext): void {
  describe('storage driver contract', () => {
    it('saves bytes under a new random key in its folder, and reads them back', async () => {
      const data = bytes(300 * 1024, 1);
      const a = await ctx.storage.save('captures', 'jpg', data);
      const b = await ctx.storage.save('captures', 'jpg', data);
      expect(a).toEqual({
        key: expect.stringMatching(/^captures\/[0-9a-f]{2}\/[0-9a-f]{32}\.jpg$/),
        size: data.length,
      });
      expect(b.key).not.toBe(a.key);
      expect((await ctx.storage.read(a.key)).equals(data)).toBe(true);
    });

    it('saves a stream (larger than one multipart part) and streams it back', async () => {
      const data = bytes(9 * 1024 * 1024 + 123, 2);
      const saved = await ctx.storage.save('composites', 'jpg', chunked(data));
      expect(saved.size).toBe(data.length);
      const opened = await ctx.storage.open(saved.key);
      expect(opened).toBeDefined();
      expect(opened!.size).toBe(data.length);
      expect(opened!.etag).toEqual(expect.any(String));
      expect((await drain(opened!.body)).equals(data)).toBe(true);
    });

    it('when a stream fails mid-upload, then no object appears under its key', async () => {
      const key = ctx.storage.derivedKey('composites', `broken-${Date.now()}`, 'jpg');
      let sent = 0;
      const failing = new Readable({
        read() {
          setImmediate(() => {
            sent += 1;
            if (sent > 3) return this.destroy(new Error('client went away'));
            this.push(bytes(64 * 1024, sent));
          });
        },
      });
      await expect(ctx.storage.saveAt(key, failing)).rejects.toThrow();
      expect(await ctx.storage.exists(key)).toBe(false);
      expect(await ctx.storage.open(key)).toBeUndefined();
      await expect(ctx.storage.read(key)).rejects.toThrow();
    });

    it('replaces the file at a derived key, which is stable per seed and unguessable', async () => {
      const key = ctx.storage.derivedKey('composites', 'session-1', 'jpg');
      expect(ctx.storage.derivedKey('composites', 'session-1', 'jpg')).toBe(key);
      expect(ctx.storage.derivedKey('composites', 'session-2', 'jpg')).not.toBe(key);
      await ctx.storage.saveAt(key, Buffer.from('first'));
      await ctx.storage.saveAt(key, Buffer.from('second'));
      expect((await ctx.storage.read(key)).toString()).toBe('second');
    });

    it('tells which keys exist, and lists keys by folder', async () => {
      const frame = await ctx.storage.save('frames', 'svg', Buffer.from('<svg/>'));
      const proof = await ctx.storage.save('payment-proofs', 'png', Buffer.from('png'));
      expect(await ctx.storage.exists(frame.key)).toBe(true);
      expect(await ctx.storage.exists(frame.key.replace(/[0-9a-f]{32}/, '0'.repeat(32)))).toBe(
        false,
      );
      expect(await ctx.storage.exists('../../etc/passwd')).toBe(false);
      expect(await storedKeys(ctx.storage, 'frames')).toEqual([frame.key]);
      expect(await storedKeys(ctx.storage)).toEqual(expect.arrayContaining([frame.key, proof.key]));
    });

    it('removes files; missing and invalid keys are not an error and a second delete is harmless', async () => {
      const { key } = await ctx.storage.save('captures', 'png', Buffer.from('x'));
      await ctx.storage.remove(key, key, undefined, null, 'not-a-key');
      expect(await ctx.storage.exists(key)).toBe(false);
      await expect(ctx.storage.remove(key)).resolves.toBeUndefined();
      expect(await ctx.storage.open(key)).toBeUndefined();
    });

    it('refuses keys that could escape the store', async () => {
      expect(FileStorage.isValidKey('captures/ab/../../x.jpg')).toBe(false);
      await expect(ctx.storage.saveAt('../x.jpg', Buffer.from('x'))).rejects.toThrow(
        /Invalid storage key/,
      );
      await expect(ctx.storage.read('captures/../../etc/passwd')).rejects.toThrow();
    });
  });

  describe('files served by the API', () => {
    it('serves a public file from its stable URL with CORS, nosniff and long cache', async () => {
      const { key } = await ctx.storage.save('templates', 'png', Buffer.from('89504e47', 'hex'));
      const url = ctx.storage.publicUrl(key);
      expect(url).toBe(`${ctx.config.publicBaseUrl}/uploads/${key}`);
      expect(ctx.storage.keyFromUrl(url)).toBe(key);
      const res = await request(ctx.app).get(new URL(url).pathname).set('Origin', ORIGIN);
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('image/png');
      expect(res.headers['content-length']).toBe('4');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      expect(res.headers['access-control-allow-origin']).toBe(ORIGIN);
      const again = await request(ctx.app)
        .get(new URL(url).pathname)
        .set('If-None-Match', String(res.headers.etag));
      expect(again.status).toBe(304);
    });

    it('serves an SVG with the sandboxing CSP', async () => {
      const { key } = await ctx.storage.save(
        'frames',
        'svg',
        Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'),
      );
      const res = await request(ctx.app).get(`/uploads/${key}`);
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('image/svg+xml');
      expect(res.headers['content-security-policy']).toBe(
        "default-src 'none'; style-src 'unsafe-inline'; sandbox",
      );
    });

    it('a valid signed URL serves a private file, also with ?t= appended; its plain URL does not', async () => {
      const data = bytes(200 * 1024, 3);
      const { key } = await ctx.storage.save('captures', 'jpg', data);
      const url = ctx.storage.signedUrl(key);
      expect(url).not.toContain('?');
      expect(ctx.storage.keyFromUrl(url)).toBe(key);
      const path = new URL(url).pathname;
      for (const target of [path, `${path}?t=${Date.now()}`]) {
        const res = await request(ctx.app).get(target).set('Origin', ORIGIN).buffer(true);
        expect(res.status).toBe(200);
        expect(res.headers['content-type']).toBe('image/jpeg');
        expect(res.headers['x-content-type-options']).toBe('nosniff');
        expect(res.headers['cache-control']).toMatch(/^private, max-age=\d+$/);
        expect(res.headers['access-control-allow-origin']).toBe(ORIGIN);
        expect(Buffer.from(res.body as Buffer).equals(data)).toBe(true);
      }
      expect((await request(ctx.app).get(`/uploads/${key}`)).status).toBe(404);
    });

    it('an expired signed URL is refused', async () => {
      const { key } = await ctx.storage.save('payment-proofs', 'jpg', Buffer.from('proof'));
      const past = Date.now() - (ctx.config.files.urlTtlSeconds + 2 * 3600) * 1000;
      const url = ctx.storage.signedUrl(key, past);
      const [, expires, signature] = /\/uploads\/s\/(\d+)\/([^/]+)\//.exec(url) ?? [];
      expect(Number(expires) * 1000).toBeLessThan(Date.now());
      expect(ctx.storage.verifySignature(key, Number(expires), String(signature))).toBe(false);
      const res = await request(ctx.app).get(new URL(url).pathname);
      expect(res.status).toBe(404);
      expect(res.body).toMatchObject({ success: false, code: 'NOT_FOUND' });
    });

    it('a tampered signed URL (expiry, signature or key changed) is refused', async () => {
      const a = await ctx.storage.save('captures', 'jpg', Buffer.from('a'));
      const b = await ctx.storage.save('captures', 'jpg', Buffer.from('b'));
      const path = new URL(ctx.storage.signedUrl(a.key)).pathname;
      const [, expires, signature] = /\/uploads\/s\/(\d+)\/([^/]+)\//.exec(path) ?? [];
      const flipped = `${signature!.slice(0, -1)}${signature!.endsWith('A') ? 'B' : 'A'}`;
      const tampered = [
        path.replace(`/s/${expires}/`, `/s/${Number(expires) + 3600}/`),
        path.replace(`/${signature}/`, `/${flipped}/`),
        path.replace(a.key, b.key),
      ];
      for (const target of tampered) {
        expect((await request(ctx.app).get(target)).status).toBe(404);
      }
    });

    it('a signed URL of a file that is gone answers 404', async () => {
      const { key } = await ctx.storage.save('captures', 'jpg', Buffer.from('x'));
      const path = new URL(ctx.storage.signedUrl(key)).pathname;
      await ctx.storage.remove(key);
      expect((await request(ctx.app).get(path)).status).toBe(404);
    });
  });
}
