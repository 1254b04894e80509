import type { RequestHandler } from 'express';
import type Joi from 'joi';
import { AppError } from '../lib/errors';
import { joiDetails } from '../lib/error-mapping';

export interface RequestSchemas {
  params?: Joi.ObjectSchema;
  query?: Joi.ObjectSchema;
  body?: Joi.Schema;
}

export interface ValidatedInput {
  params: Record<string, unknown>;
  query: Record<string, unknown>;
  body: unknown;
}

declare module 'express-serve-static-core' {
  interface Locals {
    valid?: ValidatedInput;
  }
}

/**
 * Validates params, query and body with joi (all errors at once, unknown keys stripped) and puts
 * the converted values in `res.locals.valid`; `req.query` is read-only in Express 5.
 */
export function validate(schemas: RequestSchemas): RequestHandler {
  return (req, res, next) => {
    const valid: ValidatedInput = { params: {}, query: {}, body: undefined };
    const problems: ReturnType<typeof joiDetails> = [];
    for (const part of ['params', 'query', 'body'] as const) {
      const schema = schemas[part];
      if (!schema) continue;
      const input: unknown = part === 'body' ? (req.body ?? {}) : req[part];
      const { value, error } = schema.validate(input, {
        abortEarly: false,
        stripUnknown: true,
        convert: true,
      });
      if (error)
        problems.push(
          ...joiDetails(error).map((d) => ({ ...d, field: d.field ? `${part}.${d.field}` : part })),
        );
      else if (part === 'body') valid.body = value;
      else valid[part] = value as Record<string, unknown>;
    }
    if (problems.length > 0) {
      return next(
        AppError.badRequest(problems[0]?.message.replace(/"/g, '') ?? 'Validation error', problems),
      );
    }
    res.locals.valid = valid;
    next();
  };
}

/** The validated input of the current request (set by `validate`). */
export function validInput<
  TBody = unknown,
  TQuery = Record<string, unknown>,
  TParams = Record<string, unknown>,
>(locals: { valid?: ValidatedInput }): { body: TBody; query: TQuery; params: TParams } {
  const valid = locals.valid;
  if (!valid) throw new Error('validInput() used on a route without validate()');
  return {
    body: valid.body as TBody,
    query: valid.query as TQuery,
    params: valid.params as TParams,
  };
}
