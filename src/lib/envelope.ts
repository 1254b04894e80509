import type { Response } from 'express';
import type { AppError } from './errors';

/** Response families of the web client's contract (CONTRACT.md §3). */
export type EnvelopeFamily = 'A' | 'P' | 'AI' | 'S' | 'UF';

export function getEnvelope(res: Response): EnvelopeFamily {
  const family = res.locals.envelope as EnvelopeFamily | undefined;
  return family ?? 'A';
}

/** Family A success: `{success:true, message?, data}`. */
export function sendData(
  res: Response,
  data: unknown,
  options: { status?: number; message?: string } = {},
): void {
  const body: Record<string, unknown> = { success: true };
  if (options.message !== undefined) body.message = options.message;
  body.data = data;
  res.status(options.status ?? 200).json(body);
}

/** Families with top-level keys (A-top, P, AI, S, UF): `{success:true, ...fields}`. */
export function sendFields(res: Response, fields: Record<string, unknown>, status = 200): void {
  res.status(status).json({ success: true, ...fields });
}

/** Family A success with only a message (the client needs a JSON body on every 2xx). */
export function sendMessage(res: Response, message: string, status = 200): void {
  res.status(status).json({ success: true, message });
}

export function renderError(family: EnvelopeFamily, error: AppError): Record<string, unknown> {
  const details = error.details === undefined ? {} : { details: error.details };
  const extra = error.extra ?? {};
  switch (family) {
    case 'P':
    case 'UF':
      return { error: error.message, code: error.code, ...details, ...extra };
    case 'AI':
    case 'S':
      return {
        success: false,
        error: error.message,
        message: error.message,
        code: error.code,
        ...details,
        ...extra,
      };
    case 'A':
    default:
      return {
        success: false,
        message: error.message,
        code: error.code,
        ...(Array.isArray(error.details) ? { errors: error.details } : {}),
        ...details,
        ...extra,
      };
  }
}
