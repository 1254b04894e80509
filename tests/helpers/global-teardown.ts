export default async function globalTeardown(): Promise<void> {
  const services = globalThis.__KK_SERVICES__;
  if (!services) return;
  // The service processes are unref'd; without a live handle, Node could end jest's process
  // while it waits for them, before jest writes its results.
  const keepAlive = setInterval(() => undefined, 1000);
  try {
    await Promise.allSettled([services.mongo.stop(), services.redis.stop()]);
  } finally {
    clearInterval(keepAlive);
  }
}
