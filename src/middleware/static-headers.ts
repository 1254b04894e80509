import http from 'node:http';
import net from 'node:net';
import type { RequestHandler } from 'express';

type NodeMiddleware = (
  req: http.IncomingMessage,
  res: http.ServerResponse,
  next: (error?: unknown) => void,
) => void;

/**
 * Runs a middleware whose headers do not depend on the request (helmet without per-request CSP
 * nonces) once, on a throwaway response, and returns one that sets the same headers (and removes
 * the same ones) on every response: one loop instead of a dozen chained middlewares.
 */
export function precomputedHeaders(middleware: NodeMiddleware): RequestHandler {
  const req = new http.IncomingMessage(new net.Socket());
  const res = new http.ServerResponse(req);
  const removed: string[] = [];
  const remove = res.removeHeader.bind(res);
  res.removeHeader = (name: string) => {
    removed.push(name);
    remove(name);
  };
  let called = false;
  middleware(req, res, (error) => {
    if (error) throw error instanceof Error ? error : new Error(String(error));
    called = true;
  });
  if (!called) throw new Error('precomputedHeaders: the middleware did not call next()');
  const headers = Object.entries(res.getHeaders()).map(
    ([name, value]) => [name, Array.isArray(value) ? value : String(value)] as const,
  );
  return (_req, response, next) => {
    for (const name of removed) response.removeHeader(name);
    for (const [name, value] of headers) response.setHeader(name, value);
    next();
  };
}
