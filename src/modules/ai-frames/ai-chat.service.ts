import Joi from 'joi';
import type { Config } from '../../config';
import { AppError } from '../../lib/errors';
import type { Logger } from '../../lib/logger';
import {
  frameSpecSchema,
  type ChatBody,
  type ChatMessage,
  type GenerateFrameSpec,
} from './ai-frames.schemas';
import {
  CHAT_MAX_PHOTOS,
  CHAT_MIN_PHOTOS,
  descriptionFrom,
  designFrame,
  type ChatFrameSpec,
  type FrameDesign,
} from './describe-frame';

export interface ChatDeps {
  config: Readonly<Config>;
  logger: Logger;
}

/** `/ai/chat` (CONTRACT #39): the client reads `frameSpec`; `message` is shown as the reply. */
export interface ChatReply {
  message: string;
  frameSpec: ChatFrameSpec | GenerateFrameSpec;
  source: 'parser' | 'provider';
}

const MAX_DESCRIPTION = 2000;

/**
 * Answers the AI creator. With AI_CHAT_URL configured the provider is asked first, and its spec
 * is used only if it is one the client accepts; on any failure (down, slow, nonsense) the offline
 * parser answers, so the route never depends on the network.
 */
export async function answerFrameChat(input: ChatBody, deps: ChatDeps): Promise<ChatReply> {
  const prompt = [...input.messages].reverse().find((m) => m.role === 'user')?.content ?? '';
  const description = descriptionFrom(prompt).slice(0, MAX_DESCRIPTION);
  if (!description) {
    throw AppError.badRequest('Describe the frame you want', [
      { field: 'messages', message: 'the last user message is empty' },
    ]);
  }
  if (deps.config.aiChat.url) {
    const remote = await askProvider(input.messages, deps).catch((error: unknown) => {
      deps.logger.warn({ err: error }, 'AI chat provider failed; the offline parser answers');
      return undefined;
    });
    if (remote) return remote;
  }
  const design = designFrame(description);
  return { message: describeDesign(design), frameSpec: design.frameSpec, source: 'parser' };
}

// What the web client accepts from the chat (it checks 2–4 photos itself).
const providerSpec = frameSpecSchema.keys({
  frameCount: Joi.number().integer().min(CHAT_MIN_PHOTOS).max(CHAT_MAX_PHOTOS).required(),
});

async function askProvider(
  messages: ChatMessage[],
  deps: ChatDeps,
): Promise<ChatReply | undefined> {
  const { url, apiKey, model, timeoutMs } = deps.config.aiChat;
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      ...(apiKey ? { Authorization: `Bearer ${apiKey}` } : {}),
    },
    body: JSON.stringify({ model, messages, temperature: 0.3, max_tokens: 800 }),
    redirect: 'error',
    signal: AbortSignal.timeout(timeoutMs),
  });
  if (!response.ok) throw new Error(`provider answered HTTP ${response.status}`);
  const body = (await response.json()) as {
    choices?: Array<{ message?: { content?: unknown } }>;
  };
  const content = body.choices?.[0]?.message?.content;
  if (typeof content !== 'string') throw new Error('provider reply has no message content');
  const candidate = specIn(content);
  const { value, error } = providerSpec.required().validate(candidate, { stripUnknown: true });
  if (error) {
    deps.logger.warn({ problem: error.message }, 'AI chat provider gave an unusable frameSpec');
    return undefined;
  }
  return { message: content, frameSpec: value as GenerateFrameSpec, source: 'provider' };
}

/** The `frameSpec` of a reply: in a ```json block, or the first JSON object in the text. */
function specIn(content: string): unknown {
  const fenced = /```(?:json)?\s*([\s\S]*?)```/i.exec(content)?.[1];
  const text = fenced ?? content.slice(content.indexOf('{'), content.lastIndexOf('}') + 1);
  try {
    const parsed = JSON.parse(text) as { frameSpec?: unknown };
    return parsed.frameSpec ?? parsed;
  } catch {
    return undefined;
  }
}

const LAYOUT_NAMES = {
  id: { vertical: 'strip vertikal', horizontal: 'berjajar menyamping', grid: 'grid' },
  en: { vertical: 'vertical strip', horizontal: 'side by side', grid: 'grid' },
} as const;

/** A short reply in the description's language, with the spec as the JSON block LLMs give. */
export function describeDesign(design: FrameDesign): string {
  const s = design.frameSpec;
  const id = design.language === 'id';
  const layout = LAYOUT_NAMES[design.language][s.layout];
  const colours = s.gradientFrom
    ? id
      ? `gradasi ${s.gradientFrom} ke ${s.gradientTo}`
      : `a ${s.gradientFrom} to ${s.gradientTo} gradient`
    : id
      ? `latar ${s.backgroundColor}`
      : `a ${s.backgroundColor} background`;
  const theme = design.theme ? (id ? ` bertema ${design.theme}` : ` ${design.theme}`) : '';
  const lines = [
    id
      ? `Siap! Ini rancangan bingkai${theme} untuk ${s.frameCount} foto (${layout}) dengan ${colours} dan garis ${s.borderColor}.`
      : `Here is your${theme} frame for ${s.frameCount} photos (${layout}) with ${colours} and ${s.borderColor} borders.`,
  ];
  if (design.requestedCount !== undefined) {
    lines.push(
      id
        ? `Pembuat bingkai AI mendukung ${CHAT_MIN_PHOTOS}–${CHAT_MAX_PHOTOS} foto, jadi kami pakai ${s.frameCount}.`
        : `The AI frame maker supports ${CHAT_MIN_PHOTOS}–${CHAT_MAX_PHOTOS} photos, so this one has ${s.frameCount}.`,
    );
  }
  lines.push('```json', JSON.stringify({ frameSpec: s }, null, 2), '```');
  return lines.join('\n');
}
