export default async function globalTeardown(): Promise<void> {
  const standin = globalThis.__MONGO_STANDIN__;
  if (!standin) return;
  // The stand-in's process is unref'd; without a live handle, Node could end jest's process
  // while it waits for it, before jest writes its results.
  const keepAlive = setInterval(() => undefined, 1000);
  try {
    await standin.stop();
  } finally {
    clearInterval(keepAlive);
  }
}
