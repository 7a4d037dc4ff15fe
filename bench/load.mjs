// The load generator: autocannon's programmatic API in a process of its own (pinned by run.mjs to
// the load core(s) when taskset is there). Receives { id, options } over IPC, answers { id, result }.
import autocannon from 'autocannon';

process.on('message', async ({ id, options }) => {
  try {
    const r = await autocannon(options);
    process.send({
      id,
      result: {
        ok: r['2xx'],
        non2xx: r.non2xx,
        errors: r.errors,
        timeouts: r.timeouts,
        total: r.requests.total,
        seconds: r.duration,
        p50: r.latency.p50,
        p99: r.latency.p99,
      },
    });
  } catch (err) {
    process.send({ id, error: String(err?.stack ?? err) });
  }
});
process.on('disconnect', () => process.exit(0));
process.send({ ready: true });
