/** Baseline for the benchmarks: koa hello-world on the same machine, in its own process. */
import Koa from 'koa';

const app = new Koa();
// BODY_BYTES gives a body of that size instead, to show what the response size alone costs.
const size = Number(process.env.BODY_BYTES ?? 0);
const body = size > 0 ? `<!doctype html><p>${'x'.repeat(Math.max(0, size - 17))}` : 'Hello World';
app.use((ctx) => {
  ctx.type = size > 0 ? 'html' : 'text';
  ctx.body = body;
});
const port = Number(process.env.PORT ?? 0);
const server = app.listen(port, '127.0.0.1', () => {
  const addr = server.address();
  process.stdout.write(`listening ${typeof addr === 'object' && addr ? addr.port : port}\n`);
});
