export default async function globalTeardown(): Promise<void> {
  const services = globalThis.__KK_SERVICES__;
  if (!services) return;
  await Promise.allSettled([services.mongo.stop(), services.redis.stop()]);
}
