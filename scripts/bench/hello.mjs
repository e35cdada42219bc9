// The framework's ceiling: Express 5 answering a fixed JSON "hello", for the throughput ratio.
import express from 'express';

const app = express();
app.disable('x-powered-by');
app.get('/hello', (_req, res) => res.json({ hello: 'world' }));
app.post('/hello', express.json(), (_req, res) => res.json({ hello: 'world' }));
const server = app.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ port: server.address().port })}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
