import type { Config } from '../../config';
import { getPreparedFrame, prepareFrame, type PreparedFrame } from '../../imaging/compose';
import { imageDimensions } from '../../imaging/dimensions';
import { decodeDataUrl } from '../../imaging/probe';
import type { FileStorage } from '../../lib/storage';
import type { FrameSource } from './frame-source';

const MAX_FRAME_BYTES = 20 * 1024 * 1024;
const FETCH_TIMEOUT_MS = 10_000;

/** A frame that cannot be loaded at all (bad URL, missing file): retrying will not help. */
export class FrameUnavailableError extends Error {}

/**
 * The bytes of a frame image, wherever its URL points: this API's storage, an inline data URL
 * (old seeds), or an https URL / a path of the web client (the two `/assets/templates/*` seeds).
 */
export async function loadFrameBytes(
  frameUrl: string,
  storage: FileStorage,
  config: Readonly<Config>,
): Promise<Buffer> {
  if (frameUrl.startsWith('data:')) return decodeDataUrl(frameUrl, MAX_FRAME_BYTES);
  const absolute = frameUrl.startsWith('/') ? `${config.publicBaseUrl}${frameUrl}` : frameUrl;
  const key = storage.keyFromUrl(absolute);
  if (key) {
    return storage.read(key).catch(() => {
      throw new FrameUnavailableError('The frame image is missing from storage');
    });
  }
  const remote = frameUrl.startsWith('/') ? `${config.frontendUrl}${frameUrl}` : frameUrl;
  if (!isFetchable(remote, config))
    throw new FrameUnavailableError('The frame image URL cannot be loaded');
  const response = await fetch(remote, {
    redirect: 'error',
    signal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
  });
  if (!response.ok) throw new Error(`Frame image answered HTTP ${response.status}`);
  const declared = Number(response.headers.get('content-length') ?? 0);
  if (declared > MAX_FRAME_BYTES) throw new FrameUnavailableError('The frame image is too large');
  const data = Buffer.from(await response.arrayBuffer());
  if (data.length > MAX_FRAME_BYTES)
    throw new FrameUnavailableError('The frame image is too large');
  return data;
}

// Only https, or our own and the web client's origins: a template URL must not make the worker
// reach into the internal network.
function isFetchable(url: string, config: Readonly<Config>): boolean {
  try {
    const parsed = new URL(url);
    const own = [config.publicBaseUrl, config.frontendUrl].map((base) => new URL(base).origin);
    return parsed.protocol === 'https:' || own.includes(parsed.origin);
  } catch {
    return false;
  }
}

/** The frame decoded at canvas size, cached across renders of the same template version. */
export async function preparedFrameFor(
  source: FrameSource,
  storage: FileStorage,
  config: Readonly<Config>,
): Promise<PreparedFrame> {
  return (await scaledFrameFor(source, storage, config)).frame;
}

/** Like preparedFrameFor, with the factor applied to the canvas (slots must be scaled by it). */
export async function scaledFrameFor(
  source: FrameSource,
  storage: FileStorage,
  config: Readonly<Config>,
  maxSide?: number,
): Promise<{ frame: PreparedFrame; scale: number }> {
  let bytes: Buffer | undefined;
  let width = source.canvasWidth ?? 0;
  let height = source.canvasHeight ?? 0;
  if (!width || !height) {
    bytes = await loadFrameBytes(source.frameUrl, storage, config);
    ({ width, height } = await imageDimensions(bytes));
  }
  const scale = frameScale({ width, height }, maxSide);
  width = Math.max(1, Math.round(width * scale));
  height = Math.max(1, Math.round(height * scale));
  const version = source.updatedAt ? source.updatedAt.getTime() : 0;
  const cacheKey = `${source.kind}:${source.id}:${version}:${width}x${height}`;
  const frame = await getPreparedFrame(cacheKey, async () =>
    prepareFrame(bytes ?? (await loadFrameBytes(source.frameUrl, storage, config)), {
      width,
      height,
    }),
  );
  return { frame, scale };
}

/** The factor (≤ 1) that brings a canvas's longest side down to `maxSide`. */
export function frameScale(canvas: { width: number; height: number }, maxSide?: number): number {
  if (!maxSide) return 1;
  return Math.min(1, maxSide / Math.max(canvas.width, canvas.height));
}
