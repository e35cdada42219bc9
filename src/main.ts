// `npm start`: the service process, composed in adapters/start-service.ts (which `tideover serve` runs too).
import { run } from './adapters/start-service.js';

export { run, start, versions } from './adapters/start-service.js';

const isEntry = process.argv[1] !== undefined && import.meta.url === new URL(`file://${process.argv[1]}`).href;
if (isEntry) void run();
