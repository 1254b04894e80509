import express from 'express';
import request from 'supertest';
import { streamRenderStatus } from '../../../src/lib/status-stream';
import { eventually } from '../../helpers/eventually';

type Status = { jobId: string; status: string; progress: number };

function sseEvents(body: string): Array<{ event: string; data: Status }> {
  return body
    .split('\n\n')
    .filter((block) => block.startsWith('event:'))
    .map((block) => {
      const [eventLine, dataLine] = block.split('\n');
      return {
        event: eventLine!.slice('event: '.length),
        data: JSON.parse(dataLine!.slice('data: '.length)) as Status,
      };
    });
}

describe('streamRenderStatus with a watch (pushed status)', () => {
  it('reads the status only when woken, coalesces wakes during a read, and ends on completed', async () => {
    let current: Status = { jobId: 'render-1', status: 'queued', progress: 0 };
    let loads = 0;
    let wake: (() => void) | undefined;
    let unwatched = 0;
    const app = express();
    app.get('/events', async (req, res) => {
      await streamRenderStatus(
        req,
        res,
        async () => {
          loads += 1;
          return { ...current };
        },
        {
          heartbeatMs: 60_000,
          watch: (first, listener) => {
            expect(first.jobId).toBe('render-1');
            wake = listener;
            return () => {
              unwatched += 1;
            };
          },
        },
      );
    });

    const response = request(app)
      .get('/events')
      .buffer(true)
      .parse((res, done) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => done(null, text));
      })
      .then((res) => res);
    // The first read, then one more right after subscribing (an event may fall in between).
    await eventually(async () => wake !== undefined && loads === 2);

    current = { ...current, status: 'active', progress: 30 };
    wake!();
    await eventually(async () => loads === 3);
    current = { ...current, progress: 70 };
    wake!();
    current = { ...current, status: 'completed', progress: 100 };
    wake!();
    const res = await response;

    expect(res.status).toBe(200);
    const events = sseEvents(res.body as string);
    expect(events.map((e) => [e.data.status, e.data.progress])).toEqual(
      expect.arrayContaining([
        ['queued', 0],
        ['active', 30],
        ['completed', 100],
      ]),
    );
    expect(events[events.length - 1]!.data.status).toBe('completed');
    // Three wakes, of which two came while a read ran: at most one more read each, no timer reads.
    expect(loads).toBeGreaterThanOrEqual(4);
    expect(loads).toBeLessThanOrEqual(5);
    expect(unwatched).toBe(1);
  });
});
