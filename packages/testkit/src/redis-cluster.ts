import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Redis from 'ioredis';
import { freePort } from './redis-server';

/** One redis-server of the cluster. */
export interface ClusterNodeProcess {
  port: number;
  child: ChildProcess;
}

/** Six redis-server processes of this test file: 3 primaries, a replica each, on loopback. */
export interface RedisCluster {
  /** Seed nodes for an ioredis Cluster client. */
  nodes: { host: string; port: number }[];
  /** Ports of the current primaries, from CLUSTER NODES of a live node. */
  primaries(): Promise<number[]>;
  /** The port of the primary serving `key` now. */
  primaryOf(key: string): Promise<number>;
  /** SIGKILL one node: a crash, with whatever it had not replicated yet. */
  kill(port: number): Promise<void>;
  /** Resolves once every live node says cluster_state:ok and no live primary lacks its slots. */
  ready(): Promise<void>;
  /** Stops every node and removes the directory. */
  stop(): Promise<void>;
}

const run = promisify(execFile);
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Runs one command on the node at `port` with a short-lived connection. */
async function ask(port: number, ...args: string[]): Promise<string> {
  const redis = new Redis({
    port,
    host: '127.0.0.1',
    lazyConnect: true,
    retryStrategy: () => null,
  });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    return String(await redis.call(args[0]!, ...args.slice(1)));
  } finally {
    redis.disconnect();
  }
}

async function waitFor(what: string, check: () => Promise<boolean>, ms = 60_000): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`redis cluster: ${what} not reached in ${ms} ms`);
    await sleep(100);
  }
}

function spawnNode(port: number, bus: number, dir: string, nodeTimeoutMs: number): ChildProcess {
  const args = ['--port', String(port), '--cluster-port', String(bus), '--bind', '127.0.0.1'];
  args.push('--cluster-enabled', 'yes', '--cluster-config-file', `nodes-${port}.conf`);
  args.push('--cluster-node-timeout', String(nodeTimeoutMs), '--dir', dir);
  args.push('--save', '', '--appendonly', 'no', '--daemonize', 'no');
  const child = spawn('redis-server', args, { env: process.env, stdio: 'ignore' });
  child.on('error', () => undefined); // ENOENT shows as the PING wait failing
  return child;
}

/**
 * Starts a Redis Cluster of 6 nodes (3 primaries, 1 replica each) on free ports of 127.0.0.1
 * (never 6379), with `--cluster-node-timeout` short so that a killed primary fails over within a
 * few seconds, no RDB and no AOF. Call `stop()` in `afterAll`.
 *
 * @example
 * ```ts
 * let cluster: RedisCluster;
 * beforeAll(async () => (cluster = await startRedisCluster()), 60_000);
 * afterAll(() => cluster.stop());
 * test('talks to it', () => { const store = redisSession({ cluster: cluster.nodes }); ... });
 * ```
 */
export async function startRedisCluster(
  options: { nodeTimeoutMs?: number } = {},
): Promise<RedisCluster> {
  const dir = mkdtempSync(join(tmpdir(), 'socialauth-cluster-'));
  const procs: ClusterNodeProcess[] = [];
  const stop = async () => {
    await Promise.all(
      procs.map(
        ({ child }) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve();
            child.once('exit', () => resolve());
            child.kill('SIGKILL');
          }),
      ),
    );
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const ports = new Set<number>();
    while (ports.size < 12) ports.add(await freePort());
    const [list, buses] = [[...ports].slice(0, 6), [...ports].slice(6)];
    for (const [i, port] of list.entries()) {
      procs.push({ port, child: spawnNode(port, buses[i]!, dir, options.nodeTimeoutMs ?? 1000) });
    }
    for (const { port } of procs) {
      await waitFor(`PING on ${port}`, async () => (await ask(port, 'PING')) === 'PONG', 30_000);
    }
    const addresses = list.map((p) => `127.0.0.1:${p}`);
    await run(
      'redis-cli',
      ['--cluster', 'create', ...addresses, '--cluster-replicas', '1', '--cluster-yes'],
      {
        env: process.env,
      },
    );
  } catch (error) {
    await stop();
    throw error;
  }

  const live = () =>
    procs.filter(({ child }) => child.exitCode === null && child.signalCode === null);
  const nodesLines = async () =>
    (await ask(live()[0]!.port, 'CLUSTER', 'NODES')).split('\n').filter(Boolean);
  const primaries = async () =>
    (await nodesLines())
      .map((line) => line.split(' '))
      .filter((f) => f[2]?.includes('master') && !f[2].includes('fail'))
      .map((f) => Number(/:(\d+)@/.exec(f[1] ?? '')?.[1]));
  const cluster: RedisCluster = {
    nodes: procs.map(({ port }) => ({ host: '127.0.0.1', port })),
    primaries,
    async primaryOf(key) {
      const slot = Number(await ask(live()[0]!.port, 'CLUSTER', 'KEYSLOT', key));
      for (const f of (await nodesLines()).map((line) => line.split(' '))) {
        if (!f[2]?.includes('master') || f[2].includes('fail')) continue;
        for (const range of f.slice(8)) {
          const [from, to = from] = range.split('-').map(Number);
          if (from !== undefined && slot >= from && slot <= to!) {
            return Number(/:(\d+)@/.exec(f[1] ?? '')?.[1]);
          }
        }
      }
      throw new Error(`redis cluster: no live primary serves slot ${slot}`);
    },
    async kill(port) {
      const node = procs.find((p) => p.port === port);
      if (!node || node.child.exitCode !== null || node.child.signalCode !== null) return;
      await new Promise<void>((resolve) => {
        node.child.once('exit', () => resolve());
        node.child.kill('SIGKILL');
      });
    },
    async ready() {
      await waitFor('cluster_state:ok on every node', async () => {
        for (const { port } of live()) {
          if (!(await ask(port, 'CLUSTER', 'INFO')).includes('cluster_state:ok')) return false;
        }
        return true;
      });
      await waitFor('replicas in sync', async () => {
        for (const { port } of live()) {
          const info = await ask(port, 'INFO', 'replication');
          if (info.includes('role:slave') && !info.includes('master_link_status:up')) return false;
        }
        return true;
      });
    },
    stop,
  };
  try {
    await cluster.ready();
  } catch (error) {
    await stop();
    throw error;
  }
  return cluster;
}
