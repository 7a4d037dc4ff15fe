import { startExample } from './example';

// `pnpm start`: the example on http://localhost:3000 (PORT to change it).
const example = await startExample({ port: Number(process.env.PORT ?? 3000) });
const stop = () => void example.stop().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
