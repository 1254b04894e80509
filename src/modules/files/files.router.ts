import { Router, type Request, type Response } from 'express';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { AppError } from '../../lib/errors';
import { FileStorage } from '../../lib/storage';
import type { FileAccess } from './file-access';

const CONTENT_TYPES: Record<string, string> = {
  '.jpg': 'image/jpeg',
  '.png': 'image/png',
  '.webp': 'image/webp',
  '.svg': 'image/svg+xml',
  '.gif': 'image/gif',
  '.mp4': 'video/mp4',
  '.zip': 'application/zip',
};

/** Express 5 hands a named wildcard over as its path segments. */
function wildcard(value: unknown): string {
  return Array.isArray(value) ? value.map(String).join('/') : String(value ?? '');
}

/** Serves stored files by key: `/uploads/<key>` when public, `/uploads/s/<exp>/<sig>/<key>` signed. */
export function filesRouter(storage: FileStorage, access: FileAccess): Router {
  const router = Router();

  const send = async (
    req: Request,
    res: Response,
    key: string,
    cacheControl: string,
  ): Promise<void> => {
    const file = await storage.open(key);
    if (!file) throw AppError.notFound('File not found');
    res.setHeader('Cache-Control', cacheControl);
    res.setHeader('Content-Type', CONTENT_TYPES[path.extname(key)] ?? 'application/octet-stream');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    if (key.endsWith('.zip'))
      res.setHeader('Content-Disposition', 'attachment; filename="karyaklik-gallery.zip"');
    // Stored SVGs are sanitized on upload; this keeps any script inert if one is opened directly.
    if (key.endsWith('.svg'))
      res.setHeader(
        'Content-Security-Policy',
        "default-src 'none'; style-src 'unsafe-inline'; sandbox",
      );
    res.setHeader('Last-Modified', file.lastModified.toUTCString());
    res.setHeader('ETag', file.etag);
    if (req.fresh) {
      file.body.destroy();
      res.status(304).end();
      return;
    }
    res.setHeader('Content-Length', String(file.size));
    if (req.method === 'HEAD') {
      file.body.destroy();
      res.end();
      return;
    }
    // A client that goes away mid-download ends the pipeline with an error; that is not ours.
    await pipeline(file.body, res).catch((error: unknown) => {
      if (!res.headersSent) throw error;
      res.destroy();
    });
  };

  router.get('/s/:expires/:signature/*key', async (req, res) => {
    const key = wildcard(req.params.key);
    const expires = Number(req.params.expires);
    if (
      !FileStorage.isValidKey(key) ||
      !storage.verifySignature(key, expires, req.params.signature)
    ) {
      throw AppError.notFound('File not found');
    }
    const maxAge = Math.max(0, expires - Math.floor(Date.now() / 1000));
    await send(req, res, key, `private, max-age=${maxAge}`);
  });

  router.get('/*key', async (req, res) => {
    const key = wildcard(req.params.key);
    const level = await access.check(key);
    if (level === 'private') throw AppError.notFound('File not found');
    // Keys are random and never rewritten, so always-public files can be cached for good; files
    // whose owner can make them private again are cached briefly.
    await send(
      req,
      res,
      key,
      level === 'static' ? 'public, max-age=31536000, immutable' : 'public, max-age=300',
    );
  });

  return router;
}
