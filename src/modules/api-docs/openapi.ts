import type Joi from 'joi';
import j2s from 'joi-to-swagger';
import type { RouteRecord } from '../../middleware/api-router';

type Json = Record<string, unknown>;

/** `/sessions/:id` → `/sessions/{id}`. */
export function openApiPath(expressPath: string): string {
  return expressPath.replace(/:(\w+)/g, '{$1}');
}

function schemaOf(schema: Joi.Schema): Json {
  return j2s(schema).swagger as Json;
}

function parametersOf(schema: Joi.ObjectSchema | undefined, where: 'path' | 'query'): Json[] {
  if (!schema) return [];
  const object = schemaOf(schema);
  const properties = (object.properties ?? {}) as Record<string, Json>;
  const required = new Set((object.required ?? []) as string[]);
  return Object.entries(properties).map(([name, property]) => ({
    name,
    in: where,
    required: where === 'path' || required.has(name),
    schema: property,
  }));
}

const ERROR = (description: string) => ({
  description,
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
});

/**
 * The OpenAPI 3 document of every ApiRouter route, from the same joi schemas the routes validate
 * with (joi-to-swagger): parameters, request bodies, auth, the envelope family of the replies and
 * the error statuses each route can answer.
 */
export function buildOpenApi(routes: readonly RouteRecord[], serverUrl: string): Json {
  const paths: Record<string, Record<string, Json>> = {};
  for (const route of routes) {
    const { spec } = route;
    const path = `/api${openApiPath(route.path)}`;
    const envelopeRef = { $ref: `#/components/schemas/Envelope${route.envelope}` };
    const responses: Record<string, Json> = {
      [String(spec.reply?.status ?? 200)]: {
        description: `Success, in envelope ${route.envelope}`,
        content: {
          'application/json': {
            // With a reply schema: the envelope, and what its `data` holds on this route.
            schema: spec.reply
              ? {
                  allOf: [
                    envelopeRef,
                    { type: 'object', properties: { data: schemaOf(spec.reply.data) } },
                  ],
                }
              : envelopeRef,
          },
        },
      },
      '400': ERROR('The input does not match the schema'),
      '404': ERROR('Not found (or not yours)'),
      '429': ERROR('Too many requests'),
      '500': ERROR('Unexpected error'),
      '503': ERROR('A backing service is unavailable'),
    };
    if (spec.auth !== 'public') responses['401'] = ERROR('No, an invalid or an expired token');
    if (spec.auth === 'admin') {
      responses[String(spec.adminDenied ?? 403)] = ERROR('Admins only');
    }
    if (spec.upload || spec.storesFile) {
      responses['413'] = ERROR('The upload is too large');
      responses['507'] = ERROR(
        'No room to store the file (INSUFFICIENT_STORAGE); nothing was kept',
      );
    }
    const operation: Json = {
      summary: spec.summary ?? `${route.method.toUpperCase()} ${path}`,
      tags: [route.path.split('/')[1] ?? 'api'],
      parameters: [...parametersOf(spec.params, 'path'), ...parametersOf(spec.query, 'query')],
      responses,
      'x-envelope': route.envelope,
      'x-auth': spec.auth,
    };
    if (spec.auth === 'user' || spec.auth === 'admin') operation.security = [{ bearer: [] }];
    if (spec.auth === 'optional') operation.security = [{}, { bearer: [] }];
    if (spec.body) {
      operation.requestBody = {
        required: true,
        content: {
          [spec.upload ? 'multipart/form-data' : 'application/json']: {
            schema: schemaOf(spec.body),
          },
        },
      };
    }
    paths[path] ??= {};
    paths[path][route.method] = operation;
  }
  const envelope = (name: string) => ({
    type: 'object',
    required: ['success'],
    properties: {
      success: { type: 'boolean', enum: [true] },
      message: { type: 'string' },
      data: {},
    },
    description: `Envelope ${name} (see CONTRACT.md)`,
  });
  const names = [...new Set(routes.map((r) => r.envelope))];
  return {
    openapi: '3.0.3',
    info: { title: 'KaryaKlik API', version: '1.0.0' },
    servers: [{ url: serverUrl }],
    paths,
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      schemas: {
        Error: {
          type: 'object',
          required: ['success', 'message'],
          properties: {
            success: { type: 'boolean', enum: [false] },
            message: { type: 'string' },
            code: { type: 'string' },
            requestId: { type: 'string' },
          },
        },
        ...Object.fromEntries(names.map((name) => [`Envelope${name}`, envelope(name)])),
      },
    },
  };
}
