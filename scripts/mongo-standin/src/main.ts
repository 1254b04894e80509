import { ttlSettings } from './commands/admin';
import { StandinServer } from './server';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<void> {
  const port = Number(arg('port') ?? 0);
  const bindHost = arg('host') ?? '127.0.0.1';
  const replSet = arg('repl-set') ?? 'rs0';
  const ttl = Number(arg('ttl-interval-ms') ?? process.env.MONGO_STANDIN_TTL_INTERVAL_MS ?? 60_000);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`invalid --port ${String(arg('port'))}`);
  if (!(ttl > 0)) throw new Error('invalid --ttl-interval-ms');
  ttlSettings.intervalMs = ttl;
  // The address clients dial must be in hello.hosts, so advertise a dialable host.
  const advertised = bindHost === '0.0.0.0' || bindHost === '::' ? '127.0.0.1' : bindHost;
  const server = new StandinServer(advertised, replSet);
  const actual = await server.listen(port, bindHost);
  process.stdout.write(
    `MONGO_STANDIN_URI=mongodb://${advertised}:${actual}/?replicaSet=${replSet}\n`,
  );

  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    void server.close().then(() => process.exit(0));
    setTimeout(() => process.exit(0), 2000).unref();
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  if (process.env.MONGO_STANDIN_WATCH_STDIN === '1') {
    // The launcher keeps our stdin open; EOF means it died, so we must not outlive it.
    process.stdin.on('end', stop);
    process.stdin.on('error', stop);
    process.stdin.resume();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`mongo-standin: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
