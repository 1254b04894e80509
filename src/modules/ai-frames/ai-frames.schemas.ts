import Joi from 'joi';
import type { FrameStyle } from '../../imaging/frame-art';
import { FRAME_COUNT_RANGES, FRAME_LAYOUTS, type FrameLayout } from '../../models/enums';
import { HEX_COLOUR } from './colour';

const { min: MIN_SLOTS, max: MAX_SLOTS } = FRAME_COUNT_RANGES.userGeneratedFrame;
export const FRAME_STYLES: readonly FrameStyle[] = ['classic', 'polaroid', 'film', 'confetti'];

export interface ChatMessage {
  role: 'user' | 'assistant' | 'system';
  content: string;
}

export interface ChatBody {
  messages: ChatMessage[];
}

export const chatBody = Joi.object<ChatBody, true>({
  messages: Joi.array()
    .items(
      Joi.object<ChatMessage, true>({
        role: Joi.string().valid('user', 'assistant', 'system').required(),
        content: Joi.string().allow('').max(20_000).required(),
      }),
    )
    .min(1)
    .max(50)
    .required()
    .messages({ 'any.required': 'messages are required' }),
});

/** The generator's input (CONTRACT #40): what the AI creator sends, plus optional style hints. */
export interface GenerateFrameSpec {
  frameCount: number;
  layout: FrameLayout;
  backgroundColor: string;
  borderColor: string;
  gradientFrom?: string;
  gradientTo?: string;
  borderThickness: number;
  borderRadius: number;
  style?: FrameStyle;
  title?: string;
}

const hex = Joi.string()
  .trim()
  .pattern(HEX_COLOUR)
  .messages({ 'string.pattern.base': '{#label} must be a #RRGGBB colour' });
// The client may send an empty or null gradient end: that means "no gradient".
const optionalHex = hex.allow(null, '').empty(null).empty('');

export const frameSpecSchema = Joi.object<GenerateFrameSpec, true>({
  frameCount: Joi.number().integer().min(MIN_SLOTS).max(MAX_SLOTS).required(),
  layout: Joi.string()
    .valid(...FRAME_LAYOUTS)
    .required(),
  backgroundColor: hex.required(),
  borderColor: hex.required(),
  gradientFrom: optionalHex,
  gradientTo: optionalHex,
  borderThickness: Joi.number().min(1).max(10).default(2),
  borderRadius: Joi.number().min(0).max(50).default(8),
  style: Joi.string().valid(...FRAME_STYLES),
  title: Joi.string().trim().allow('').max(40),
});

export interface SaveFrameBody {
  name: string;
  frameSpec: GenerateFrameSpec;
  frameDataUrl: string;
  visibility: 'private' | 'public';
  description?: string;
  tags: string[];
}

export const saveFrameBody = Joi.object<SaveFrameBody, true>({
  name: Joi.string().trim().min(3).max(100).required(),
  frameSpec: frameSpecSchema.required(),
  // 5 MB of SVG is about 6.7 M characters of base64; the decoder answers 413 past 5 MB.
  frameDataUrl: Joi.string()
    .max(8 * 1024 * 1024)
    .required(),
  visibility: Joi.string().valid('private', 'public').default('private'),
  description: Joi.string().trim().allow('').max(1000),
  tags: Joi.array().items(Joi.string().trim().max(50)).max(20).default([]),
});
