import type { Request } from 'express';
import type Joi from 'joi';
import { AppError, type ErrorDetail } from '../lib/errors';
import { joiDetails } from '../lib/error-mapping';

/**
 * The type a schema validates to. Schemas are declared with joi's own typed form,
 * `Joi.object<Shape, true>({...})`, which makes the compiler hold every key of the map against
 * `Shape` (a renamed or missing key does not compile); the handler's input is inferred from it.
 * An untyped `Joi.object({...})` would give `any`, which is refused here so it cannot slip through.
 */
export type SchemaType<S> =
  S extends Joi.ObjectSchema<infer T> ? (0 extends 1 & T ? never : T) : undefined;

export interface RequestSchemas {
  params?: Joi.ObjectSchema;
  query?: Joi.ObjectSchema;
  body?: Joi.ObjectSchema;
}

export interface ValidInput<S extends RequestSchemas> {
  params: SchemaType<S['params']>;
  query: SchemaType<S['query']>;
  body: SchemaType<S['body']>;
}

const OPTIONS: Joi.ValidationOptions = { abortEarly: false, stripUnknown: true, convert: true };

/**
 * Validates params, query and body with joi (all problems at once, unknown keys stripped) and
 * returns the converted values; `req.query` is read-only in Express 5 and is never written.
 */
export function validateRequest<S extends RequestSchemas>(req: Request, schemas: S): ValidInput<S> {
  const valid: Record<'params' | 'query' | 'body', unknown> = {
    params: undefined,
    query: undefined,
    body: undefined,
  };
  const problems: ErrorDetail[] = [];
  for (const part of ['params', 'query', 'body'] as const) {
    const schema = schemas[part];
    if (!schema) continue;
    const input: unknown = part === 'body' ? (req.body ?? {}) : req[part];
    const { value, error } = schema.validate(input, OPTIONS);
    if (error) {
      problems.push(
        ...joiDetails(error).map((d) => ({ ...d, field: d.field ? `${part}.${d.field}` : part })),
      );
    } else {
      valid[part] = value;
    }
  }
  if (problems.length > 0) {
    throw AppError.badRequest(
      problems[0]?.message.replace(/"/g, '') ?? 'Validation error',
      problems,
    );
  }
  return valid as unknown as ValidInput<S>;
}
