import type { AppContext } from '../../context';
import { envelopeAI, type AIReply } from '../../lib/envelope';
import { idParams } from '../../lib/schemas';
import { ApiRouter } from '../../middleware/api-router';
import { createRateLimiter } from '../../middleware/rate-limit';
import { deactivateUserFrame, listUserFrames } from '../user-frames/user-frames.service';
import { answerFrameChat } from './ai-chat.service';
import { chatBody, frameSpecSchema, saveFrameBody } from './ai-frames.schemas';
import { generateFrame, saveAiFrame } from './ai-frames.service';

/** The AI template creator and the user's AI frame library (CONTRACT §10 #39–#43, envelope AI). */
export function aiFramesRouter(ctx: AppContext): ApiRouter<AIReply> {
  const r = new ApiRouter('/ai', envelopeAI, ctx.resolveAccount);
  // The chat needs no account (#39), so it is limited per client address instead.
  const chatLimit = createRateLimiter(ctx.config, ctx.redis, {
    name: 'ai-chat',
    windowMs: 60_000,
    limit: 30,
    by: 'ip',
    message: 'Too many frame descriptions, wait a minute',
  });

  r.post(
    '/chat',
    {
      auth: 'public',
      limits: [chatLimit],
      body: chatBody,
      summary: 'Frame description → frameSpec',
    },
    async ({ body }) => {
      const reply = await answerFrameChat(body, ctx);
      return { body: { message: reply.message, frameSpec: reply.frameSpec } };
    },
  );

  r.post(
    '/generate-frame',
    {
      auth: 'user',
      body: frameSpecSchema,
      summary: 'Draw a 600×900 SVG frame (daily AI allowance)',
    },
    async ({ user, body }) => ({
      body: { success: true, ...(await generateFrame(user, body, ctx)) },
    }),
  );

  r.post(
    '/save-frame',
    { auth: 'user', body: saveFrameBody, summary: 'Save an AI frame to my library (Pro)' },
    async ({ user, body }) => ({
      status: 201,
      body: {
        success: true,
        message: 'Frame saved',
        template: await saveAiFrame(user, body, ctx),
      },
    }),
  );

  r.get('/my-frames', { auth: 'user', summary: 'My AI frames' }, async ({ user }) => {
    const frames = await listUserFrames(user);
    return { body: { success: true, frames, count: frames.length } };
  });

  r.delete(
    '/delete-frame/:id',
    { auth: 'user', params: idParams, summary: 'Remove one of my AI frames' },
    async ({ user, params }) => {
      await deactivateUserFrame(user, params.id);
      return { body: { success: true, message: 'Frame deleted' } };
    },
  );

  return r;
}
