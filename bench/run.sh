#!/usr/bin/env bash
# Builds the benchmarks (Release, in build-bench/) and prints the figures of DESIGN.md §8 for the
# memory backends, each next to a baseline measured in the same run:
#   core      valet_bench_core (1 and 2 submitters) vs a bare MemoryJobQueue
#   memory    valet_bench_memory, 1M pending jobs
#   http      valet_bench_http POST /api/jobs vs GET /api/status on the same valetd, latency
#   wrk       the same two loads with wrk, if installed, as a second opinion
# Each HTTP part gets a fresh valetd (memory backends, 4 workers, queue capacity 1M, access log to
# /dev/null); only the valetd this script started is ever stopped.
#
# Settings (environment): BENCH_BUILD_DIR (build-bench), BENCH_JOBS (200000), BENCH_MEMORY_JOBS
# (1000000), BENCH_DURATION seconds per HTTP load (10), BENCH_CONNECTIONS (32), BENCH_THREADS (2),
# BENCH_LATENCY_JOBS (1000), BENCH_WORKERS (4).
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
  ninja -C "$build" -j1 valetd valet_bench_core valet_bench_memory valet_bench_http >/dev/null
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

figures() { grep -h '^figure' "$@" | sed 's/^figure  //'; }
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

main() {
  build
  rm -rf "$logs"
  mkdir -p "$logs"
  local bin=$build/bench
  echo "machine: $(nproc) cores; $(uptime)"

  run core-1 "$bin/valet_bench_core" --jobs "$jobs" --workers "$workers" --submitters 1
  run core-2 "$bin/valet_bench_core" --jobs "$jobs" --workers "$workers" --submitters 2
  run memory "$bin/valet_bench_memory" --jobs "$memory_jobs"

  local http=("$bin/valet_bench_http" --connections "$connections" --threads "$threads")
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

  : >"$logs/wrk.log"
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

  echo
  echo "== summary ($(nproc) cores; $(uptime | sed 's/.*load/load/'))"
  printf '%-46s %14s  %s\n' figure value unit
  figures "$logs"/core-1.log "$logs"/core-2.log "$logs"/memory.log "$logs"/http-baseline.log \
    "$logs"/http-post.log "$logs"/http-ratio.log "$logs"/http-latency.log "$logs"/wrk.log
  echo "(logs in $logs)"
}

main "$@"
