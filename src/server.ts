import type { Server, ServerResponse } from 'node:http';
import { buildApp } from './app';
import { loadConfig } from './config';
import { createLogger, type Logger } from './lib/logger';
import { createHttpRuntime } from './runtime';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel, { process: 'api' });
  const runtime = await createHttpRuntime(config, logger);
  const app = buildApp({ config, logger, ...runtime });

  const server = app.listen(config.port, config.host, () => {
    logger.info(
      { port: config.port, publicBaseUrl: config.publicBaseUrl },
      `KaryaKlik API listening on ${config.publicBaseUrl}/api`,
    );
  });
  installShutdown(server, logger, config.shutdownTimeoutMs, runtime.close);
}

/**
 * SIGTERM/SIGINT: stop accepting connections, let in-flight requests finish, then close the
 * queues, Redis and MongoDB. Keep-alive connections are closed after the response they carry
 * (requests answering when the signal lands, and any that arrive on those connections meanwhile
 * get `Connection: close`), so a client that keeps sending cannot hold the process open; idle
 * ones are closed at once. A hard deadline keeps a stuck request from blocking a deploy.
 */
function installShutdown(
  server: Server,
  logger: Logger,
  timeoutMs: number,
  closeRuntime: () => Promise<void>,
): void {
  let shuttingDown = false;
  // Responses not yet finished, so the signal can tell them to close their connection.
  const open = new Set<ServerResponse>();
  const forget = function (this: ServerResponse) {
    open.delete(this);
  };
  server.prependListener('request', (_req, res: ServerResponse) => {
    if (shuttingDown) {
      res.setHeader('Connection', 'close');
      return;
    }
    open.add(res);
    res.once('close', forget);
  });

  const shutdown = (signal: string) => {
    if (shuttingDown) return;
    shuttingDown = true;
    logger.info({ signal, inFlight: open.size }, 'shutting down: finishing in-flight requests');
    const deadline = setTimeout(() => {
      logger.error(
        { inFlight: open.size },
        'shutdown deadline passed; exiting with requests still open',
      );
      process.exit(1);
    }, timeoutMs);
    deadline.unref();
    for (const res of open) if (!res.headersSent) res.setHeader('Connection', 'close');
    server.close(async (error) => {
      if (error) logger.error({ err: error }, 'error while closing the HTTP server');
      await closeRuntime().catch((err: unknown) =>
        logger.error({ err }, 'error while closing connections'),
      );
      logger.info('shutdown complete');
      process.exit(error ? 1 : 0);
    });
    server.closeIdleConnections();
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
