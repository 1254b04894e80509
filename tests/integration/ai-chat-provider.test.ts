import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { useTestContext } from '../helpers/context';

/** A local stand-in for an OpenAI-compatible chat endpoint; each test sets how it answers. */
let answer: (body: Record<string, unknown>) => { status: number; body?: unknown; delayMs?: number };
const received: Array<{ headers: IncomingMessage['headers']; body: Record<string, unknown> }> = [];
const env: Record<string, string> = { AI_CHAT_API_KEY: 'test-key', AI_CHAT_TIMEOUT_MS: '2000' };
let server: Server;

beforeAll(async () => {
  server = createServer((req, res) => {
    let text = '';
    req.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
    req.on('end', () => {
      const body = JSON.parse(text) as Record<string, unknown>;
      received.push({ headers: req.headers, body });
      const reply = answer(body);
      setTimeout(() => {
        res.writeHead(reply.status, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify(reply.body ?? {}));
      }, reply.delayMs ?? 0);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  env.AI_CHAT_URL = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/chat/completions`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

// Registered after the server's beforeAll, so the context sees AI_CHAT_URL.
const ctx = useTestContext('ai-chat-provider', env);

const chat = (description: string) =>
  request(ctx.app)
    .post('/api/ai/chat')
    .send({ messages: [{ role: 'user', content: `Buat bingkai.\nDeskripsi: "${description}"` }] });

const completion = (content: string) => ({
  status: 200,
  body: { choices: [{ message: { role: 'assistant', content } }] },
});

describe('/api/ai/chat with a configured provider', () => {
  it('uses the provider’s frameSpec when it is one the client accepts, sending model, messages and key', async () => {
    answer = () =>
      completion(
        'Tentu!\n```json\n{ "frameSpec": { "frameCount": 2, "layout": "horizontal", "backgroundColor": "#112233", "borderColor": "#FFFFFF" } }\n```',
      );
    const res = await chat('apa saja');
    expect(res.status).toBe(200);
    expect(res.body.frameSpec).toMatchObject({
      frameCount: 2,
      layout: 'horizontal',
      backgroundColor: '#112233',
      borderColor: '#FFFFFF',
    });
    expect(res.body.message).toContain('Tentu!');
    const last = received[received.length - 1]!;
    expect(last.headers.authorization).toBe('Bearer test-key');
    expect(last.body).toMatchObject({ model: 'llama-3.3-70b-versatile' });
    expect(last.body.messages).toEqual([
      { role: 'user', content: 'Buat bingkai.\nDeskripsi: "apa saja"' },
    ]);
  });

  it.each([
    ['answers 500', () => ({ status: 500, body: { error: 'down' } })],
    ['is slower than AI_CHAT_TIMEOUT_MS', () => ({ ...completion('{}'), delayMs: 5000 })],
    ['replies without JSON', () => completion('Maaf, saya tidak bisa.')],
    ['gives 6 photos (the client takes 2–4)', () => completion('{"frameSpec":{"frameCount":6,"layout":"grid","backgroundColor":"#000000","borderColor":"#FFFFFF"}}')],
    ['gives a colour name instead of #RRGGBB', () => completion('{"frameSpec":{"frameCount":2,"layout":"grid","backgroundColor":"blue","borderColor":"#FFFFFF"}}')],
    ['sends no choices', () => ({ status: 200, body: { id: 'x' } })],
  ])('falls back to the offline parser when the provider %s', async (_name, reply) => {
    answer = reply;
    const res = await chat('frame wisuda 3 foto vertikal, navy dan emas');
    expect(res.status).toBe(200);
    expect(res.body.frameSpec).toMatchObject({
      frameCount: 3,
      layout: 'vertical',
      backgroundColor: '#1A237E',
      borderColor: '#D4AF37',
    });
  }); // prettier-ignore
});
