import { AsyncLocalStorage } from 'node:async_hooks';

/** What code deep inside a request (or a job) may know about where it runs, without being passed it. */
export interface RequestContext {
  /** The HTTP request id (X-Request-Id), also carried by the jobs the request enqueues. */
  requestId: string;
}

const storage = new AsyncLocalStorage<RequestContext>();

/** Runs `fn` with `context` as the current request context (for its whole async continuation). */
export function runWithRequestContext<T>(context: RequestContext, fn: () => T): T {
  return storage.run(context, fn);
}

/** The request id of the request (or job) this code runs for, if any. */
export function currentRequestId(): string | undefined {
  return storage.getStore()?.requestId;
}
