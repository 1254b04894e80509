import type { Request, Response } from 'express';

/** Subscribes `wake` to the events of what `first` describes; returns the unsubscribe. */
export type WatchStatus<T> = (first: T, wake: () => void) => (() => void) | undefined;

export interface EventStreamOptions<T> {
  /** Push: the status is read again only when woken (job events), never on a timer of its own. */
  watch: WatchStatus<T>;
  /** Between keep-alive comments; each also re-reads the status (a slow safety net). */
  heartbeatMs?: number;
}

const DEFAULT_HEARTBEAT_MS = 15_000;

/**
 * Streams status changes as Server-Sent Events (`event: status`): the same status the GET endpoint
 * answers, read again whenever a job event wakes the stream (wakes during a read coalesce into
 * one more read). The first status is loaded before the stream opens, so a missing or foreign
 * session still gets a normal 404; right after subscribing it is read once more, so an event
 * between the first read and the subscription is not lost. Comments keep proxies from closing
 * an idle stream, and each of them also re-reads the status, a slow safety net should an event
 * go missing. The stream ends on completed/failed; everything stops when the client goes away.
 */
export async function streamRenderStatus<T extends { status: string }>(
  req: Request,
  res: Response,
  load: () => Promise<T>,
  options: EventStreamOptions<T>,
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
  let reading = false;
  let again = false;
  // Set once subscribed; the client may go away (stop) before that.
  let unwatch: (() => void) | undefined = undefined;
  const heartbeat = setInterval(() => {
    res.write(': keep-alive\n\n');
    wake();
  }, options.heartbeatMs ?? DEFAULT_HEARTBEAT_MS);
  const stop = () => {
    if (closed) return;
    closed = true;
    clearInterval(heartbeat);
    unwatch?.();
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

  const read = async (): Promise<boolean> => {
    try {
      return send(await load());
    } catch (error) {
      if (closed) return false;
      const message =
        error instanceof Error && 'status' in error ? error.message : 'Status unavailable';
      res.write(`event: error\ndata: ${JSON.stringify({ message })}\n\n`);
      stop();
      res.end();
      return false;
    }
  };

  function wake(): void {
    if (closed) return;
    if (reading) {
      again = true;
      return;
    }
    reading = true;
    void (async () => {
      do {
        again = false;
        if (!(await read()) || closed) break;
      } while (again);
      reading = false;
    })();
  }

  res.write('retry: 2000\n\n');
  if (!send(first)) return;
  unwatch = options.watch(first, wake);
  if (closed) unwatch?.();
  else wake();
}
