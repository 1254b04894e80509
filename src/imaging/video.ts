import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { accessSync, constants, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { RawCanvas } from './compose';

/**
 * The MP4 encoder, if this machine has one: `configured` is a path to ffmpeg, `off`, or empty for
 * `ffmpeg` on PATH. It must answer `-version`; nothing is downloaded. Checked once per process.
 */
export function findVideoEncoder(configured: string): string | null {
  const cached = encoderCache.get(configured);
  if (cached !== undefined) return cached;
  const found = locate(configured);
  encoderCache.set(configured, found);
  return found;
}

const encoderCache = new Map<string, string | null>();

function locate(configured: string): string | null {
  if (configured === 'off') return null;
  const candidates = configured
    ? [configured]
    : (process.env.PATH ?? '')
        .split(path.delimiter)
        .filter(Boolean)
        .map((dir) => path.join(dir, 'ffmpeg'));
  for (const candidate of candidates) {
    try {
      accessSync(candidate, constants.X_OK);
    } catch {
      continue;
    }
    const probe = spawnSync(candidate, ['-hide_banner', '-version'], { timeout: 5000 });
    if (probe.status === 0) return candidate;
  }
  return null;
}

export class VideoEncoderError extends Error {}

/**
 * Encodes frames as a silent H.264 MP4 (yuv420p, even sides, `+faststart` for progressive play).
 * Frames go to ffmpeg's stdin as raw RGB; the output is a temp file because MP4's index is
 * written at the end.
 */
export async function encodeMp4(
  ffmpeg: string,
  frames: RawCanvas[],
  delayMs: number,
): Promise<{ data: Buffer; width: number; height: number }> {
  const first = frames[0];
  if (!first) throw new Error('A video needs at least one frame');
  const width = first.width - (first.width % 2);
  const height = first.height - (first.height % 2);
  const out = path.join(os.tmpdir(), `kk-video-${randomBytes(8).toString('hex')}.mp4`);
  const args = [
    '-hide_banner',
    '-loglevel',
    'error',
    '-f',
    'rawvideo',
    '-pix_fmt',
    'rgb24',
    '-s',
    `${first.width}x${first.height}`,
    '-framerate',
    `1000/${delayMs}`,
    '-i',
    'pipe:0',
    '-vf',
    `crop=${width}:${height}:0:0`,
    '-r',
    '25',
    '-c:v',
    'libx264',
    '-preset',
    'veryfast',
    '-crf',
    '26',
    '-pix_fmt',
    'yuv420p',
    '-movflags',
    '+faststart',
    '-an',
    '-y',
    out,
  ];
  try {
    await new Promise<void>((resolve, reject) => {
      const child = spawn(ffmpeg, args, { stdio: ['pipe', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => {
        if (stderr.length < 4000) stderr += chunk.toString();
      });
      child.on('error', reject);
      child.on('close', (code) =>
        code === 0
          ? resolve()
          : reject(new VideoEncoderError(`ffmpeg exited with ${code}: ${stderr.slice(0, 500)}`)),
      );
      child.stdin.on('error', () => undefined);
      (async () => {
        for (const frame of frames) {
          if (!child.stdin.write(frame.data)) {
            await new Promise((drained) => child.stdin.once('drain', drained));
          }
        }
        child.stdin.end();
      })().catch(reject);
    });
    return { data: await fs.readFile(out), width, height };
  } finally {
    await fs.rm(out, { force: true });
  }
}
