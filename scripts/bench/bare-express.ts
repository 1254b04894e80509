/**
 * The yardstick of `npm run bench:http`: a bare Express 5 app with one JSON route and nothing
 * else, on PORT. Whatever the API does per request on top of this is its own overhead.
 */
import express from 'express';

const app = express();
app.get('/json', (_req, res) => {
  res.json({ success: true, message: 'ok' });
});
const port = Number(process.env.PORT ?? 3100);
app.listen(port, '127.0.0.1', () => process.stdout.write(`bare express listening on ${port}\n`));
