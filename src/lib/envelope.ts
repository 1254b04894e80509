import type { Response } from 'express';
import type { AppError } from './errors';

/**
 * The response families of the web client's contract (CONTRACT §3). A router declares its family
 * once; the family renders both what its handlers return and every error raised below it, so no
 * handler builds an envelope by hand.
 */
export interface Envelope<Reply> {
  readonly name: 'A' | 'P' | 'AI' | 'S' | 'UF';
  send(res: Response, reply: Reply): void;
  renderError(error: AppError): Record<string, unknown>;
}

/** The reply type a family's handlers return. */
export type ReplyOf<E> = E extends Envelope<infer R> ? R : never;

interface Status {
  /** HTTP status of a success; 200 unless given. */
  status?: number;
}

function details(error: AppError): Record<string, unknown> {
  return error.details === undefined ? {} : { details: error.details };
}

/**
 * A: `{success:true, message?, data}`; with `fields`, extra top-level keys (the login's top-level
 * token and user, §19.1; `POST /auth/google`'s A-top shape has fields and no data). Errors:
 * `{success:false, message, code, details?}`.
 */
export interface AReply extends Status {
  message?: string;
  data?: unknown;
  fields?: Record<string, unknown>;
}

export const envelopeA: Envelope<AReply> = {
  name: 'A',
  send(res, reply) {
    const body: Record<string, unknown> = { success: true };
    if (reply.message !== undefined) body.message = reply.message;
    if (reply.data !== undefined) body.data = reply.data;
    res.status(reply.status ?? 200).json({ ...body, ...reply.fields });
  },
  renderError: (error) => ({
    success: false,
    message: error.message,
    code: error.code,
    ...details(error),
    ...error.extra,
  }),
};

/** P (payments): `{success:true, message?, ...fields}`; errors under `error` (§19.13). */
export interface PReply extends Status {
  message?: string;
  fields: Record<string, unknown>;
}

export const envelopeP: Envelope<PReply> = {
  name: 'P',
  send(res, reply) {
    const body: Record<string, unknown> = { success: true };
    if (reply.message !== undefined) body.message = reply.message;
    res.status(reply.status ?? 200).json({ ...body, ...reply.fields });
  },
  renderError: (error) => ({
    error: error.message,
    code: error.code,
    ...details(error),
    ...error.extra,
  }),
};

/**
 * AI: each route has its own success shape (`/ai/chat` has no `success` at all), so the handler
 * returns the body. Errors carry both `error` and `message`: the client reads either (#39–#43).
 */
export interface AIReply extends Status {
  body: Record<string, unknown>;
}

export const envelopeAI: Envelope<AIReply> = {
  name: 'AI',
  send(res, reply) {
    res.status(reply.status ?? 200).json(reply.body);
  },
  renderError: (error) => ({
    success: false,
    error: error.message,
    message: error.message,
    code: error.code,
    ...details(error),
    ...error.extra,
  }),
};

/** S (submissions): `{success:true, data, count?, total?, hasMore?, message?}`; errors `{success:false, error}`. */
export interface SReply extends Status {
  data: unknown;
  message?: string;
  count?: number;
  total?: number;
  hasMore?: boolean;
}

export const envelopeS: Envelope<SReply> = {
  name: 'S',
  send(res, reply) {
    const { status, ...rest } = reply;
    res.status(status ?? 200).json({ success: true, ...rest });
  },
  renderError: (error) => ({
    success: false,
    error: error.message,
    code: error.code,
    ...details(error),
    ...error.extra,
  }),
};

/** UF (user frames): `{success:true, data}`; errors `{error}`. */
export interface UFReply extends Status {
  data: unknown;
}

export const envelopeUF: Envelope<UFReply> = {
  name: 'UF',
  send(res, reply) {
    res.status(reply.status ?? 200).json({ success: true, data: reply.data });
  },
  renderError: (error) => ({ error: error.message, code: error.code, ...details(error) }),
};

declare module 'express-serve-static-core' {
  interface Locals {
    /** The family of the router that handles this request (set by ApiRouter). */
    envelope?: Envelope<never>;
  }
}

/** The family errors of this response render in: the handling router's, else A. */
export function envelopeOf(res: Response): Envelope<never> {
  return res.locals.envelope ?? (envelopeA as Envelope<never>);
}
