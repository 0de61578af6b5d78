#!/usr/bin/env bash
# Builds the benchmarks (Release, in build-bench/) and prints the figures of DESIGN.md §8 for the
# memory backends, each next to a baseline measured in the same run:
#   core      valet_bench_core (1 and 2 submitters) vs a bare MemoryJobQueue
#   metrics   valet_bench_metrics: recording one request in /metrics vs a locked counter, and
#             (after http) as a share of the time one GET /api/status takes at full load
#   memory    valet_bench_memory, 1M pending jobs
#   http      valet_bench_http POST /api/jobs vs GET /api/status on the same valetd, latency
#   wrk       the same two loads with wrk, if installed, as a second opinion
#   backends  valet_bench_backends on each SQL repository (memory queue) vs pgbench -N/-S and a
#             pgbench -N-like MariaDB transaction (mariadb-slap) on the same servers, which
#             scripts/servers.sh installs and starts; then again with batch submits
#   queues    valet_bench_backends on Redis (repository and queue) next to redis-benchmark
#             LPUSH/RPOP on the same server, and on RabbitMQ with the memory and PostgreSQL
#             repositories; each with submit→completion latency; then Redis and RabbitMQ again
#             with batch submits (RabbitMQ also with a prefetch of 9 × workers)
#
#   bench/run.sh                  all of them
#   bench/run.sh backends ...     only the parts named (core, metrics, memory, http, wrk, backends,
#                                 queues)
# Each HTTP part gets a fresh valetd (memory backends, 4 workers, queue capacity 1M, access log to
# /dev/null); only the valetd this script started is ever stopped.
#
# Settings (environment): BENCH_BUILD_DIR (build-bench), BENCH_JOBS (200000), BENCH_MEMORY_JOBS
# (1000000), BENCH_DURATION seconds per HTTP load (10), BENCH_CONNECTIONS (32), BENCH_THREADS (2),
# BENCH_LATENCY_JOBS (1000), BENCH_WORKERS (4), BENCH_BACKEND_JOBS (20000), BENCH_CLIENTS (4:
# submitters of valet_bench_backends and clients of pgbench and mariadb-slap), BENCH_BATCH_JOBS
# (50000) and BENCH_BATCH (100, jobs per batch submit) for the batch runs.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
build=${BENCH_BUILD_DIR:-$root/build-bench}
jobs=${BENCH_JOBS:-200000}
memory_jobs=${BENCH_MEMORY_JOBS:-1000000}
duration=${BENCH_DURATION:-10}
connections=${BENCH_CONNECTIONS:-32}
threads=${BENCH_THREADS:-2}
latency_jobs=${BENCH_LATENCY_JOBS:-1000}
workers=${BENCH_WORKERS:-4}
backend_jobs=${BENCH_BACKEND_JOBS:-20000}
batch_jobs=${BENCH_BATCH_JOBS:-50000}
batch=${BENCH_BATCH:-100}
clients=${BENCH_CLIENTS:-4}
logs=$build/bench-logs
valetd_pid=""
port=""

stop_valetd() {
  if [[ -n $valetd_pid ]]; then
    kill -TERM "$valetd_pid" 2>/dev/null || true
    wait "$valetd_pid" 2>/dev/null || true
    valetd_pid=""
  fi
}
trap stop_valetd EXIT

build() {
  if [[ ! -f $build/build.ninja ]]; then
    cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DVALET_BUILD_TESTS=OFF \
      >/dev/null
  fi
  # One job at a time: the machine has two cores and is shared.
  ninja -C "$build" -j1 valetd valet_bench_core valet_bench_metrics valet_bench_memory \
    valet_bench_http valet_bench_backends valet_bench_recovery >/dev/null
}

free_port() {
  local candidate
  for candidate in $(seq 18080 18180); do
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$candidate") 2>/dev/null; then
      echo "$candidate"
      return
    fi
  done
  echo "no free port in 18080-18180" >&2
  return 1
}

start_valetd() {
  port=$(free_port)
  cat >"$logs/valetd.yaml" <<YAML
server:
  protocol: http
  http:
    host: 127.0.0.1
    port: $port
job_queue:
  option: memory
  memory_job_queue:
    capacity: 1000000
worker_pool:
  workers: $workers
repository:
  option: memory
shutdown_grace_period: 1
YAML
  # valetd writes one access line per request to stderr: keep it off the terminal and the disk.
  "$build/app/valetd" --config "$logs/valetd.yaml" >/dev/null 2>&1 &
  valetd_pid=$!
  for _ in $(seq 100); do
    if curl -sf "http://127.0.0.1:$port/api/status" >/dev/null; then return; fi
    if ! kill -0 "$valetd_pid" 2>/dev/null; then
      echo "valetd exited at start" >&2
      return 1
    fi
    sleep 0.1
  done
  echo "valetd did not answer on port $port" >&2
  return 1
}

# run <log name> <command...>: shows the output and keeps it for the summary.
run() {
  local name=$1
  shift
  echo "== $name: $*"
  timeout 900 "$@" | tee "$logs/$name.log"
}

figures() { { grep -h '^figure' "$@" || true; } | sed 's/^figure  //'; }
figure_value() { grep -h "^figure  $2" "$logs/$1.log" | awk '{print $(NF-1)}' | head -1; }
print_figure() { printf 'figure  %-46s %14s  %s\n' "$1" "$2" "$3"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.3f", a / b; else print "n/a" }'; }

# wrk_rate <log name> <url> [wrk args...]: Requests/sec of a wrk run, its output kept in the log.
wrk_rate() {
  local name=$1 url=$2
  shift 2
  echo "== $name: wrk -t$threads -c$connections -d${duration}s $* $url" >&2
  timeout 120 wrk -t"$threads" -c"$connections" -d"${duration}s" "$@" "$url" |
    tee "$logs/$name.log" >&2
  awk '/^Requests\/sec:/ {print $2}' "$logs/$name.log"
}

bench_core() {
  run core-1 "$build/bench/valet_bench_core" --jobs "$jobs" --workers "$workers" --submitters 1
  run core-2 "$build/bench/valet_bench_core" --jobs "$jobs" --workers "$workers" --submitters 2
}

bench_metrics() {
  run metrics "$build/bench/valet_bench_metrics" --threads "$threads"
}

# After both metrics and http: the cost of Record() as a share of a request's time at full load.
metrics_share() {
  [[ -f $logs/metrics.log && -f $logs/http-baseline.log ]] || return 0
  local record get_rate
  record=$(figure_value metrics "metrics Record() ($threads threads)")
  get_rate=$(figure_value http-baseline 'http GET')
  # A request's time at full load is 1 / (GET/s); Record() takes `record` ns of it.
  print_figure "metrics Record() / GET status request time" \
    "$(ratio "$record" "$(awk -v g="$get_rate" 'BEGIN { print 1e9 / g }')")" ratio \
    >"$logs/metrics-share.log"
}

bench_memory() {
  run memory "$build/bench/valet_bench_memory" --jobs "$memory_jobs"
}

bench_http() {
  local http=("$build/bench/valet_bench_http" --connections "$connections" --threads "$threads")
  start_valetd
  run http-baseline "${http[@]}" --url "http://127.0.0.1:$port" --duration-seconds "$duration" \
    --baseline
  run http-post "${http[@]}" --url "http://127.0.0.1:$port" --duration-seconds "$duration"
  stop_valetd
  start_valetd
  run http-latency "${http[@]}" --url "http://127.0.0.1:$port" --latency "$latency_jobs"
  stop_valetd
  local post_rate get_rate
  post_rate=$(figure_value http-post 'http POST')
  get_rate=$(figure_value http-baseline 'http GET')
  print_figure "http POST/s / GET status/s" "$(ratio "$post_rate" "$get_rate")" ratio \
    >"$logs/http-ratio.log"
}

bench_wrk() {
  local get_rate post_rate
  if command -v wrk >/dev/null; then
    start_valetd
    get_rate=$(wrk_rate wrk-get "http://127.0.0.1:$port/api/status" | tail -1)
    post_rate=$(wrk_rate wrk-post "http://127.0.0.1:$port/api/jobs" -s "$root/bench/post_job.lua" |
      tail -1)
    stop_valetd
    {
      print_figure "wrk GET /api/status/s (baseline)" "$get_rate" req/s
      print_figure "wrk POST /api/jobs/s" "$post_rate" req/s
      print_figure "wrk POST non-2xx replies" \
        "$(awk '/Non-2xx/ {print $NF}' "$logs/wrk-post.log" | grep . || echo 0)" replies
      print_figure "wrk POST/s / GET status/s" "$(ratio "$post_rate" "$get_rate")" ratio
    } >"$logs/wrk.log"
  else
    echo "wrk is not installed (Debian package wrk): skipping the second opinion"
  fi
}

# pgbench_tps <log name> <pgbench args...>: the TPS of a pgbench run on valet_pgbench.
pgbench_tps() {
  local name=$1
  shift
  echo "== $name: pgbench $*" >&2
  "$VALET_POSTGRES_BIN/pgbench" -h 127.0.0.1 -p "$pg_port" -U postgres "$@" valet_pgbench \
    2>&1 | tee "$logs/$name.log" >&2
  awk '/^tps = / {printf "%.0f\n", $3}' "$logs/$name.log"
}

# The pgbench -N transaction (update, select, insert) on MariaDB, 100k accounts; prints its TPS.
maria_tps() {
  local transactions=$((backend_jobs / 2))
  echo "== mariadb-n: mariadb-slap, $transactions pgbench -N-like transactions" >&2
  mariadb-slap --no-defaults -h127.0.0.1 -P"$maria_port" -uvalet -pvalet \
    --create-schema=valet_test_slap --delimiter=";" --concurrency="$clients" --iterations=1 \
    --create="CREATE TABLE accounts (aid INT PRIMARY KEY, abalance INT NOT NULL, filler CHAR(84));
      INSERT INTO accounts SELECT seq, 0, '' FROM seq_1_to_100000;
      CREATE TABLE history (id BIGINT AUTO_INCREMENT PRIMARY KEY, aid INT, delta INT,
      mtime DATETIME(6))" \
    --query="SET @aid = FLOOR(1 + RAND() * 100000); START TRANSACTION;
      UPDATE accounts SET abalance = abalance + 1 WHERE aid = @aid;
      SELECT abalance FROM accounts WHERE aid = @aid;
      INSERT INTO history (aid, delta, mtime) VALUES (@aid, 1, NOW(6)); COMMIT" \
    --number-of-queries=$((transactions * 6)) 2>&1 | tee "$logs/mariadb-n.log" >&2
  awk -v n="$transactions" '/Average number of seconds/ {printf "%.0f\n", n / $(NF-1)}' \
    "$logs/mariadb-n.log"
}

bench_backends() {
  eval "$("$root/scripts/servers.sh")"
  pg_port=${POSTGRES_DSN##*:}
  pg_port=${pg_port%%/*}
  maria_port=${MYSQL_DSN##*:}
  maria_port=${maria_port%%/*}
  local psql=("$VALET_POSTGRES_BIN/psql" -h 127.0.0.1 -p "$pg_port" -U postgres -qtA)
  if [[ $("${psql[@]}" -d postgres -c \
    "SELECT 1 FROM pg_database WHERE datname = 'valet_pgbench'") != 1 ]]; then
    "$VALET_POSTGRES_BIN/createdb" -h 127.0.0.1 -p "$pg_port" -U postgres valet_pgbench
  fi
  "$VALET_POSTGRES_BIN/pgbench" -h 127.0.0.1 -p "$pg_port" -U postgres -i -q -s 1 \
    valet_pgbench >/dev/null 2>&1

  local backends=("$build/bench/valet_bench_backends" --jobs "$backend_jobs" --workers "$workers"
    --submitters "$clients")
  local pgbench=(-c "$clients" -j 2 -T "$duration")
  local n_tps s_tps maria
  n_tps=$(pgbench_tps pgbench-n -N "${pgbench[@]}")
  run backend-postgres "${backends[@]}" --repository postgres
  s_tps=$(pgbench_tps pgbench-s -S "${pgbench[@]}")
  maria=$(maria_tps)
  run backend-mysql "${backends[@]}" --repository mysql
  # The same through batch submits (POST /api/jobs/batch), which store and queue jobs together.
  local batched=("$build/bench/valet_bench_backends" --jobs "$batch_jobs" --workers "$workers"
    --submitters "$clients" --batch "$batch" --latency 0)
  run backend-postgres-batch "${batched[@]}" --repository postgres
  run backend-mysql-batch "${batched[@]}" --repository mysql
  local pg_rate maria_rate
  pg_rate=$(figure_value backend-postgres 'postgres+memory jobs completed')
  maria_rate=$(figure_value backend-mysql 'mysql+memory jobs completed')
  {
    print_figure "pgbench -N ($clients clients)" "$n_tps" tps
    print_figure "pgbench -S ($clients clients)" "$s_tps" tps
    print_figure "postgres jobs completed/s / pgbench -N tps" "$(ratio "$pg_rate" "$n_tps")" ratio
    print_figure "mariadb-slap -N-like ($clients clients)" "$maria" tps
    print_figure "mysql jobs completed/s / -N-like tps" "$(ratio "$maria_rate" "$maria")" ratio
  } >"$logs/backend-baselines.log"
}

# redis_benchmark_rate <command>: requests/s of redis-benchmark for one command on the private
# Redis, with as many clients as the valet runs have.
redis_benchmark_rate() {
  local port=${REDIS_URL##*:}
  port=${port%%/*}
  redis-benchmark -h 127.0.0.1 -p "$port" -c "$clients" -n 200000 -t "$1" -q 2>/dev/null |
    tr '\r' '\n' | awk -v c="${1^^}" '$1 == c":" && /requests per second/ {printf "%.0f\n", $2}'
}

bench_queues() {
  eval "$("$root/scripts/servers.sh")"
  local backends=("$build/bench/valet_bench_backends" --jobs "$backend_jobs" --workers "$workers"
    --submitters "$clients")
  run queue-redis "${backends[@]}" --repository redis --queue redis
  local lpush rpop
  lpush=$(redis_benchmark_rate lpush)
  rpop=$(redis_benchmark_rate rpop)
  run queue-rabbitmq "${backends[@]}" --repository memory --queue rabbitmq
  # A push waits for its confirm (the broker's disk): more submitters keep more in flight.
  run queue-rabbitmq-16 "$build/bench/valet_bench_backends" --jobs "$backend_jobs" \
    --workers "$workers" --submitters 16 --latency 0 --repository memory --queue rabbitmq
  run queue-rabbitmq-postgres "${backends[@]}" --repository postgres --queue rabbitmq
  local batched=("$build/bench/valet_bench_backends" --jobs "$batch_jobs" --workers "$workers"
    --submitters "$clients" --batch "$batch" --latency 0)
  run queue-redis-batch "${batched[@]}" --repository redis --queue redis
  run queue-rabbitmq-batch "${batched[@]}" --repository memory --queue rabbitmq
  # A prefetch large enough for the workers to claim ahead (see WorkerPool).
  run queue-rabbitmq-batch-prefetch "${batched[@]}" --repository memory --queue rabbitmq \
    --queue-capacity $((workers * 9))
  local redis_rate
  redis_rate=$(figure_value queue-redis 'redis+redis jobs completed')
  {
    print_figure "redis-benchmark LPUSH ($clients clients)" "$lpush" req/s
    print_figure "redis-benchmark RPOP ($clients clients)" "$rpop" req/s
    print_figure "redis jobs completed/s / LPUSH/s" "$(ratio "$redis_rate" "$lpush")" ratio
  } >"$logs/queue-baselines.log"
}

main() {
  local parts=("$@")
  [[ ${#parts[@]} -gt 0 ]] || parts=(core metrics memory http wrk backends queues)
  local part
  for part in "${parts[@]}"; do
    case $part in
      core | metrics | memory | http | wrk | backends | queues) ;;
      *)
        echo "unknown part: $part (core, metrics, memory, http, wrk, backends, queues)" >&2
        return 2
        ;;
    esac
  done
  build
  rm -rf "$logs"
  mkdir -p "$logs"
  echo "machine: $(nproc) cores; $(uptime)"
  for part in "${parts[@]}"; do
    "bench_$part"
  done
  metrics_share

  echo
  echo "== summary ($(nproc) cores; $(uptime | sed 's/.*load/load/'))"
  printf '%-46s %14s  %s\n' figure value unit
  local log
  for log in core-1 core-2 metrics memory http-baseline http-post http-ratio metrics-share http-latency wrk \
    backend-postgres backend-mysql backend-baselines backend-postgres-batch backend-mysql-batch \
    queue-redis queue-rabbitmq queue-rabbitmq-16 queue-rabbitmq-postgres queue-baselines \
    queue-redis-batch queue-rabbitmq-batch queue-rabbitmq-batch-prefetch; do
    [[ -f $logs/$log.log ]] && figures "$logs/$log.log"
  done
  echo "(logs in $logs)"
}

main "$@"
