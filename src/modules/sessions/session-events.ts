import type { Request, Response } from 'express';

export interface EventStreamOptions {
  pollMs?: number;
  heartbeatMs?: number;
}

/**
 * Streams render status changes as Server-Sent Events (`event: status`), polling the same status
 * the GET endpoint answers. The first status is loaded before the stream opens, so a missing or
 * foreign session still gets a normal 404. Comments keep proxies from closing an idle stream; the
 * stream ends on completed/failed, and timers stop when the client goes away.
 */
export async function streamRenderStatus<T extends { status: string }>(
  req: Request,
  res: Response,
  load: () => Promise<T>,
  options: EventStreamOptions = {},
): Promise<void> {
  const first = await load();
  res.status(200);
  res.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
  res.setHeader('Cache-Control', 'no-cache, no-transform');
  res.setHeader('Connection', 'keep-alive');
  res.setHeader('X-Accel-Buffering', 'no');
  res.flushHeaders();

  let last = '';
  let closed = false;
  let poll: NodeJS.Timeout | undefined;
  const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), options.heartbeatMs ?? 15_000);
  const stop = () => {
    closed = true;
    clearTimeout(poll);
    clearInterval(heartbeat);
  };
  res.on('close', stop);
  req.on('aborted', stop);

  const send = (status: T): boolean => {
    const data = JSON.stringify(status);
    if (data !== last) {
      last = data;
      res.write(`event: status\ndata: ${data}\n\n`);
    }
    if (status.status === 'completed' || status.status === 'failed') {
      stop();
      res.end();
      return false;
    }
    return true;
  };

  res.write('retry: 2000\n\n');
  if (!send(first)) return;
  const tick = async () => {
    if (closed) return;
    try {
      if (send(await load()) && !closed) poll = setTimeout(tick, options.pollMs ?? 500);
    } catch (error) {
      if (closed) return;
      const message =
        error instanceof Error && 'status' in error ? error.message : 'Status unavailable';
      res.write(`event: error\ndata: ${JSON.stringify({ message })}\n\n`);
      stop();
      res.end();
    }
  };
  poll = setTimeout(tick, options.pollMs ?? 500);
}
