import { Router, type RequestHandler } from 'express';

/**
 * Routers mounted under path prefixes, looked up by the request's first path segment: a request
 * meets only the mounts that can match it (in their mounting order) instead of testing every
 * prefix of the API in turn, and a path no mount serves goes on at once. Matching is Express's
 * own (each segment's mounts live in an ordinary Router, case-insensitive like the app's), so
 * `req.baseUrl`, params and error handling are what they were with `router.use(prefix, …)`.
 */
export class SegmentRouter {
  private readonly bySegment = new Map<string, Router>();

  /** Like `router.use(prefix, ...handlers)`; `prefix` starts with a segment (`/admin/queues`). */
  use(prefix: string, ...handlers: RequestHandler[]): this {
    const segment = firstSegment(prefix).toLowerCase();
    if (!segment) throw new Error(`SegmentRouter: "${prefix}" has no first segment`);
    this.segmentRouter(segment).use(prefix, ...handlers);
    return this;
  }

  /**
   * Mounts `handler` without a prefix for requests whose first segment is one of `segments`: for
   * routers whose routes name their own paths (`/health`, `/ready`), which would otherwise be
   * tried by every request that passes them.
   */
  mount(segments: readonly string[], handler: RequestHandler): this {
    for (const segment of segments) this.segmentRouter(segment.toLowerCase()).use(handler);
    return this;
  }

  private segmentRouter(segment: string): Router {
    let router = this.bySegment.get(segment);
    if (!router) {
      router = Router();
      this.bySegment.set(segment, router);
    }
    return router;
  }

  /** The middleware that hands a request to its segment's mounts, or straight on. */
  handler(): RequestHandler {
    const bySegment = this.bySegment;
    return (req, res, next) => {
      const router = bySegment.get(firstSegment(req.url).toLowerCase());
      if (router) router(req, res, next);
      else next();
    };
  }
}

/** `/sessions/1?x` → `sessions`; `/` or `/?x` → ''. */
export function firstSegment(url: string): string {
  let end = 1;
  while (end < url.length) {
    const c = url.charCodeAt(end);
    // '/', '?' and '#' end the segment.
    if (c === 47 || c === 63 || c === 35) break;
    end += 1;
  }
  return url.slice(1, end);
}
