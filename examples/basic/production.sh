#!/usr/bin/env bash
# The README's "Production" setup on one machine, without Docker: PostgreSQL and a Redis Cluster
# (3 primaries, 3 replicas) from Debian's packages, in a temporary folder on loopback ports, then
# the example app on them with a provider configured only by its OpenID Connect issuer.
#   apt-get install postgresql redis-server     (once)
#   bash examples/basic/production.sh            (Ctrl-C stops everything and removes the folder)
# Free loopback ports are picked for PostgreSQL and the six Redis nodes (PORT sets the app's,
# default 3000); the machine's own PostgreSQL and Redis on their standard ports are never touched.
set -euo pipefail
cd "$(dirname "$0")/../.."

# Thirteen free ports: PostgreSQL's, then each Redis node's client port and cluster bus port.
read -r -a ports <<<"$(node -e '
  const net = require("node:net");
  const take = () => new Promise((done) => {
    const s = net.createServer().listen(0, "127.0.0.1", () => { const { port } = s.address(); s.close(() => done(port)); });
  });
  (async () => { const ps = []; for (let i = 0; i < 13; i++) ps.push(await take()); console.log(ps.join(" ")); })();
')"
PG_PORT="${ports[0]}"
work="$(mktemp -d /tmp/socialauth-production.XXXXXX)"
pids=()

stop() {
  trap - EXIT INT TERM
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap stop EXIT INT TERM

need() { command -v "$1" >/dev/null || { echo "$1 is missing: apt-get install $2" >&2; exit 1; }; }
need redis-server redis-server
need redis-cli redis-server
pg_bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
[ -x "$pg_bin/initdb" ] || { echo "PostgreSQL is missing: apt-get install postgresql" >&2; exit 1; }

# PostgreSQL refuses to run as root: as root, its files belong to the postgres user.
as_pg=()
if [ "$(id -u)" = 0 ]; then
  mkdir -p "$work/pg" && chown postgres "$work" "$work/pg"
  as_pg=(runuser -u postgres --)
fi

echo "== PostgreSQL on 127.0.0.1:$PG_PORT ($work/pg)"
"${as_pg[@]}" "$pg_bin/initdb" -D "$work/pg/data" -U socialauth --auth=trust >"$work/initdb.log"
"${as_pg[@]}" "$pg_bin/postgres" -D "$work/pg/data" -p "$PG_PORT" -k "$work/pg" \
  -c listen_addresses=127.0.0.1 >"$work/postgres.log" 2>&1 &
pids+=($!)
for _ in $(seq 50); do
  "$pg_bin/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" && break
  sleep 0.2
done
"$pg_bin/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" || { cat "$work/postgres.log"; exit 1; }

nodes=()
for i in 0 1 2 3 4 5; do
  port="${ports[$((1 + i))]}"
  redis-server --bind 127.0.0.1 --port "$port" --cluster-port "${ports[$((7 + i))]}" \
    --cluster-enabled yes \
    --cluster-config-file "$work/nodes-$port.conf" --cluster-node-timeout 2000 \
    --dir "$work" --save '' --appendonly no >"$work/redis-$port.log" 2>&1 &
  pids+=($!)
  nodes+=("127.0.0.1:$port")
done
for node in "${nodes[@]}"; do
  for _ in $(seq 50); do redis-cli -p "${node##*:}" ping >/dev/null 2>&1 && break; sleep 0.1; done
done
echo "== Redis Cluster on ${nodes[*]}"
redis-cli --cluster create "${nodes[@]}" --cluster-replicas 1 --cluster-yes >"$work/cluster.log"
for _ in $(seq 100); do
  redis-cli -p "${ports[1]}" cluster info | grep -q 'cluster_state:ok' && break
  sleep 0.1
done

echo "== the example app"
DATABASE_URL="postgres://socialauth@127.0.0.1:$PG_PORT/postgres" \
  REDIS_CLUSTER="$(IFS=,; echo "${nodes[*]}")" \
  OIDC_ISSUER="${OIDC_ISSUER:-emulator}" \
  SESSION_SECRET="${SESSION_SECRET:-$(head -c 32 /dev/urandom | base64)}" \
  npx -y pnpm@10 start
