import { Router, type Request, type RequestHandler, type Response } from 'express';
import type Joi from 'joi';
import type { AuthUser } from '../lib/auth-user';
import type { Envelope } from '../lib/envelope';
import { AppError } from '../lib/errors';
import { runWithRequestContext } from '../lib/request-context';
import { authenticate, type AuthMode, type ResolveAccount } from './authenticate';
import { validateRequest, type RequestSchemas, type ValidInput } from './validate';

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

export interface RouteSpec<A extends AuthMode> extends RequestSchemas {
  auth: A;
  /** Status for a signed-in non-admin on an admin route (CONTRACT §2: 401 or 403 by route). */
  adminDenied?: 401 | 403;
  /** Abuse limits; they run first, before the token is even looked at. */
  limits?: RequestHandler[];
  /** Multipart parsing; runs after authentication, before validation. */
  upload?: RequestHandler;
  /** Stores a file sent in a JSON body (a data URL): documented, like uploads, with 507. */
  storesFile?: boolean;
  /**
   * The `data` of the success reply, for the API document (status 200 unless given); tests hold
   * real replies to it.
   */
  reply?: { status?: 200 | 201; data: Joi.Schema };
  /** One line for the API document. */
  summary?: string;
}

export interface RouteInput<A extends AuthMode, S extends RequestSchemas> extends ValidInput<S> {
  user: A extends 'user' | 'admin' ? AuthUser : AuthUser | undefined;
  req: Request;
  res: Response;
}

/**
 * A handler returns its family's reply, which the router renders; one that streams or redirects
 * writes to `res` itself and returns nothing.
 */
export type RouteHandler<A extends AuthMode, S extends RequestSchemas, R> = (
  input: RouteInput<A, S>,
) => Promise<R | void> | R | void;

/** `r.get(path, spec, handler)` and the other verbs: adds one route, answers the router. */
type AddRoute<R, Router> = <A extends AuthMode, S extends RouteSpec<A>>(
  path: string,
  spec: S & RouteSpec<A>,
  handler: RouteHandler<A, S, R>,
) => Router;

/** What the API document and the route tests need to know of each route. */
export interface RouteRecord {
  method: HttpMethod;
  /** Full path under /api, Express syntax (`/sessions/:id`). */
  path: string;
  envelope: string;
  spec: RouteSpec<AuthMode>;
}

/**
 * A router whose every route is wired the same way: limits → authenticate (+ role) → upload →
 * validate → handler, with its envelope family declared once. Inputs are typed from the route's
 * joi schemas; the reply is typed by the family and rendered by it, and so are errors.
 */
export class ApiRouter<R> {
  readonly router = Router();
  readonly routes: RouteRecord[] = [];

  constructor(
    /** Where the router is mounted under /api ('' for the root). */
    readonly prefix: string,
    readonly envelope: Envelope<R>,
    private readonly resolveAccount: ResolveAccount,
  ) {}

  readonly get = this.verb('get');
  readonly post = this.verb('post');
  readonly put = this.verb('put');
  readonly patch = this.verb('patch');
  readonly delete = this.verb('delete');

  private verb(method: HttpMethod): AddRoute<R, this> {
    return (path, spec, handler) => this.add(method, path, spec, handler);
  }

  private add<A extends AuthMode, S extends RouteSpec<A>>(
    method: HttpMethod,
    path: string,
    spec: S,
    handler: RouteHandler<A, S, R>,
  ): this {
    const { envelope } = this;
    const chain: RequestHandler[] = [
      (req, res, next) => {
        res.locals.envelope = envelope;
        // The route template for metrics (req.baseUrl is where this router is mounted).
        res.locals.route = path === '/' ? req.baseUrl || '/' : `${req.baseUrl}${path}`;
        next();
      },
      ...(spec.limits ?? []),
    ];
    if (spec.auth !== 'public') {
      chain.push(authenticate(this.resolveAccount, spec.auth, spec.adminDenied));
    }
    if (spec.upload) chain.push(spec.upload);
    chain.push(async (req, res) => {
      if ((spec.auth === 'user' || spec.auth === 'admin') && !req.user) {
        throw AppError.unauthenticated();
      }
      const valid = validateRequest(req, spec);
      // Checked just above for the modes that promise an account.
      const user = req.user as RouteInput<A, S>['user'];
      // Jobs enqueued by the handler carry the request id (the one place the context is entered).
      const reply = await runWithRequestContext({ requestId: req.id }, () =>
        handler({ ...valid, user, req, res }),
      );
      if (reply !== undefined && !res.headersSent) envelope.send(res, reply);
    });
    this.router[method](path, ...chain);
    this.routes.push({
      method,
      path: `${this.prefix}${path === '/' ? '' : path}` || '/',
      envelope: envelope.name,
      spec,
    });
    return this;
  }
}
