#!/usr/bin/env bash
# Installs (apt-get) and starts the database servers the integration tests use, each as a
# private instance on 127.0.0.1 with its own data directory and port, and prints the settings
# to use. Idempotent: a server that is already running is left alone.
#
#   eval "$(scripts/servers.sh)"          start what is missing and export POSTGRES_DSN,
#                                         MYSQL_DSN, REDIS_URL and RABBITMQ_URI
#   scripts/servers.sh --stop             stop the instances this script started
#
# Settings: VALET_SERVERS_DIR (/tmp/valet-servers), VALET_POSTGRES_PORT (25432),
# VALET_MARIADB_PORT (23306), VALET_REDIS_PORT (26379), VALET_RABBITMQ_PORT (25672; the next
# port is its Erlang distribution port). The ports sit below Linux's ephemeral range (32768 and
# up), so that no client connection can hold a server's port while a test restarts it.
set -euo pipefail

dir=${VALET_SERVERS_DIR:-/tmp/valet-servers}
pg_port=${VALET_POSTGRES_PORT:-25432}
maria_port=${VALET_MARIADB_PORT:-23306}
redis_port=${VALET_REDIS_PORT:-26379}
rabbit_port=${VALET_RABBITMQ_PORT:-25672}
pg_bin=""

log() { echo "servers: $*" >&2; }

install_packages() {
  local missing=()
  for package in "$@"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" ||
      missing+=("$package")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  log "installing ${missing[*]}"
  $sudo apt-get update -qq >&2
  # --no-install-recommends: the packages' own clusters and services are not wanted.
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
    "${missing[@]}" >&2
}

# Runs a command as the postgres user (the server refuses to run as root).
as_postgres() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

start_postgres() {
  install_packages postgresql
  pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  local data=$dir/postgres
  mkdir -p "$dir"
  if [ ! -f "$data/PG_VERSION" ]; then
    mkdir -p "$data"
    [ "$(id -u)" -eq 0 ] && chown postgres:postgres "$data"
    as_postgres "$pg_bin/initdb" -D "$data" -U postgres --auth=trust -E UTF8 >/dev/null
  fi
  if ! as_postgres "$pg_bin/pg_ctl" -D "$data" status >/dev/null 2>&1; then
    log "starting PostgreSQL on 127.0.0.1:$pg_port"
    as_postgres "$pg_bin/pg_ctl" -D "$data" -l "$data/server.log" -w -t 60 start \
      -o "-p $pg_port -c listen_addresses=127.0.0.1 -k $data -c fsync=off" >/dev/null
  fi
  local psql=("$pg_bin/psql" -h 127.0.0.1 -p "$pg_port" -U postgres -d postgres -qtA)
  if [ "$("${psql[@]}" -c "SELECT 1 FROM pg_roles WHERE rolname = 'valet'")" != 1 ]; then
    "${psql[@]}" -c "CREATE ROLE valet LOGIN PASSWORD 'valet'" >/dev/null
  fi
  if [ "$("${psql[@]}" -c "SELECT 1 FROM pg_database WHERE datname = 'valet_test'")" != 1 ]; then
    "${psql[@]}" -c "CREATE DATABASE valet_test OWNER valet" >/dev/null
  fi
  # Schemas left by test runs that are over. Tests name theirs <prefix>_<pid>_<n>; the
  # integration tests drop their own at the end, the e2e ones (made by each valetd) stay until
  # here. A schema whose test process still runs is kept.
  local dsn="postgresql://valet:valet@127.0.0.1:$pg_port/valet_test"
  local schema
  for schema in $("$pg_bin/psql" -qtA "$dsn" -c \
      "SELECT nspname FROM pg_namespace WHERE nspname ~ '^(e2e|valet_test)_[0-9]+_[a-z0-9_]+$'"); do
    local pid=${schema#*_}
    pid=${pid#test_}
    pid=${pid%%_*}
    if ! kill -0 "$pid" 2>/dev/null; then
      PGOPTIONS="-c client_min_messages=warning" \
        "$pg_bin/psql" -qtA "$dsn" -c "DROP SCHEMA IF EXISTS $schema CASCADE" >/dev/null
    fi
  done
  echo "export POSTGRES_DSN=postgresql://valet:valet@127.0.0.1:$pg_port/valet_test"
  echo "export VALET_POSTGRES_DATA=$data"
  echo "export VALET_POSTGRES_BIN=$pg_bin"
}

stop_postgres() {
  local data=$dir/postgres
  [ -f "$data/PG_VERSION" ] || return 0
  pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  as_postgres "$pg_bin/pg_ctl" -D "$data" -m fast -w stop >/dev/null 2>&1 || true
}

# Runs a command as the mysql user (the server refuses to run as root without --user).
as_mysql() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u mysql -- "$@"
  else
    "$@"
  fi
}

maria_running() {
  local data=$dir/mariadb
  [ -S "$data/mysqld.sock" ] &&
    mariadb-admin --no-defaults --socket="$data/mysqld.sock" -uroot ping >/dev/null 2>&1
}

start_mariadb() {
  install_packages mariadb-server
  local data=$dir/mariadb
  local socket=$data/mysqld.sock
  mkdir -p "$dir"
  if [ ! -d "$data/mysql" ]; then
    mkdir -p "$data"
    [ "$(id -u)" -eq 0 ] && chown mysql:mysql "$data"
    # --no-defaults: the packaged my.cnf points at the system instance's paths.
    as_mysql mariadb-install-db --no-defaults --datadir="$data" \
      --auth-root-authentication-method=normal --skip-test-db >/dev/null
  fi
  if ! maria_running; then
    log "starting MariaDB on 127.0.0.1:$maria_port"
    local user=()
    [ "$(id -u)" -eq 0 ] && user=(--user=mysql)
    # binlog stays off (statements with SKIP LOCKED are unsafe for statement-based binlogs).
    nohup mariadbd --no-defaults "${user[@]}" --datadir="$data" --port="$maria_port" \
      --bind-address=127.0.0.1 --socket="$socket" --pid-file="$data/mariadb.pid" \
      --log-error="$data/server.log" --innodb-flush-log-at-trx-commit=0 \
      --character-set-server=utf8mb4 --collation-server=utf8mb4_bin \
      --max-connections=500 >/dev/null 2>&1 &
    local waited=0
    until maria_running; do
      sleep 0.5
      waited=$((waited + 1))
      if [ "$waited" -gt 120 ]; then
        log "MariaDB did not start; see $data/server.log"
        exit 1
      fi
    done
  fi
  # Root has no password but can only log in through the private socket.
  mariadb --no-defaults --socket="$socket" -uroot <<'SQL'
CREATE DATABASE IF NOT EXISTS valet_test CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;
CREATE USER IF NOT EXISTS 'valet'@'127.0.0.1' IDENTIFIED BY 'valet';
CREATE USER IF NOT EXISTS 'valet'@'localhost' IDENTIFIED BY 'valet';
GRANT ALL PRIVILEGES ON `valet\_test`.* TO 'valet'@'127.0.0.1', 'valet'@'localhost';
GRANT ALL PRIVILEGES ON `valet\_test\_%`.* TO 'valet'@'127.0.0.1', 'valet'@'localhost';
GRANT ALL PRIVILEGES ON `e2e\_%`.* TO 'valet'@'127.0.0.1', 'valet'@'localhost';
SQL
  # Databases left by test runs that are over, named <prefix>_<pid>_<name> like the PostgreSQL
  # schemas above. A database whose test process still runs is kept.
  local database
  for database in $(mariadb --no-defaults --socket="$socket" -uroot -N -B -e \
      "SELECT schema_name FROM information_schema.schemata WHERE \
       schema_name REGEXP '^(e2e|valet_test)_[0-9]+_[a-z0-9_]+$'"); do
    local pid=${database#*_}
    pid=${pid#test_}
    pid=${pid%%_*}
    if ! kill -0 "$pid" 2>/dev/null; then
      mariadb --no-defaults --socket="$socket" -uroot -e "DROP DATABASE IF EXISTS \`$database\`"
    fi
  done
  echo "export MYSQL_DSN=mysql://valet:valet@127.0.0.1:$maria_port/valet_test"
  echo "export VALET_MARIADB_DATA=$data"
  echo "export VALET_MARIADB_PID_FILE=$data/mariadb.pid"
}

stop_mariadb() {
  local data=$dir/mariadb
  maria_running || return 0
  local pid
  pid=$(cat "$data/mariadb.pid" 2>/dev/null || true)
  mariadb-admin --no-defaults --socket="$data/mysqld.sock" -uroot shutdown >/dev/null 2>&1 || true
  if [ -n "$pid" ]; then
    while kill -0 "$pid" 2>/dev/null; do sleep 0.2; done
  fi
}

redis_ping() {
  [ "$(redis-cli -h 127.0.0.1 -p "$redis_port" ping 2>/dev/null)" = PONG ]
}

start_redis() {
  local fresh=false
  dpkg-query -W -f='${Status}' redis-server 2>/dev/null | grep -q "install ok installed" ||
    fresh=true
  install_packages redis-server
  # The package's own service, if its install just started one (on 127.0.0.1:6379), is not
  # wanted: only the private instance below runs. A Redis that was there before is left alone.
  if $fresh && [ -f /run/redis/redis-server.pid ] && command -v service >/dev/null; then
    service redis-server stop >/dev/null 2>&1 || true
  fi
  local data=$dir/redis
  local conf=$data/redis.conf
  mkdir -p "$data"
  # appendonly: a restart keeps every acknowledged write (the restart test relies on it); no RDB
  # snapshots, the AOF is enough.
  cat >"$conf.new" <<CONF
bind 127.0.0.1
port $redis_port
protected-mode yes
daemonize yes
pidfile $data/redis.pid
logfile $data/server.log
dir $data
appendonly yes
appendfsync everysec
save ""
maxmemory-policy noeviction
CONF
  mv "$conf.new" "$conf"
  if ! redis_ping; then
    log "starting Redis on 127.0.0.1:$redis_port"
    redis-server "$conf" >/dev/null
    local waited=0
    until redis_ping; do
      sleep 0.2
      waited=$((waited + 1))
      if [ "$waited" -gt 150 ]; then
        log "Redis did not start; see $data/server.log"
        exit 1
      fi
    done
  fi
  # Keys left by test runs that are over. Tests put theirs under a key prefix
  # {valet_test_<pid>_<name>} or {e2e_<pid>_<name>}; a prefix whose test process still runs is
  # kept.
  local prefix
  for prefix in $(redis-cli -h 127.0.0.1 -p "$redis_port" --scan --pattern '{*_[0-9]*_*}:*' |
      sed -n 's/^{\(\(valet_test\|e2e\)_[0-9][0-9]*_[a-z0-9_]*\)}:.*/\1/p' | sort -u); do
    local pid=${prefix#valet_test_}
    pid=${pid#e2e_}
    pid=${pid%%_*}
    if ! kill -0 "$pid" 2>/dev/null; then
      redis-cli -h 127.0.0.1 -p "$redis_port" --scan --pattern "{$prefix}:*" |
        xargs -r -n 500 redis-cli -h 127.0.0.1 -p "$redis_port" unlink >/dev/null
    fi
  done
  echo "export REDIS_URL=redis://127.0.0.1:$redis_port/0"
  echo "export VALET_REDIS_CONF=$conf"
  echo "export VALET_REDIS_PID_FILE=$data/redis.pid"
}

stop_redis() {
  redis_ping || return 0
  local pid
  pid=$(cat "$dir/redis/redis.pid" 2>/dev/null || true)
  redis-cli -h 127.0.0.1 -p "$redis_port" shutdown >/dev/null 2>&1 || true
  if [ -n "$pid" ]; then
    while kill -0 "$pid" 2>/dev/null; do sleep 0.2; done
  fi
}

# RabbitMQ: a private node (valet-test@localhost) run as the rabbitmq user, everything under
# $dir/rabbitmq, with AMQP, Erlang distribution and epmd bound to 127.0.0.1. The package's own
# service is never started. $dir/rabbitmq/start.sh starts the node again with the same settings
# (the restart test runs it after killing the node by the PID in $dir/rabbitmq/rabbitmq.pid).

install_rabbitmq() {
  dpkg-query -W -f='${Status}' rabbitmq-server 2>/dev/null | grep -q "install ok installed" &&
    return 0
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  # A policy that forbids starting services keeps the package from starting its own node on
  # 0.0.0.0:5672 during the install.
  local policy=/usr/sbin/policy-rc.d added_policy=false
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' | $sudo tee "$policy" >/dev/null
    $sudo chmod 755 "$policy"
    added_policy=true
  fi
  local installed=0
  install_packages rabbitmq-server || installed=$?
  if $added_policy; then $sudo rm -f "$policy"; fi
  [ "$installed" -eq 0 ] || return "$installed"
  # Where systemd runs services the policy may be bypassed: stop what the package started.
  if command -v systemctl >/dev/null && systemctl is-active --quiet rabbitmq-server 2>/dev/null
  then
    $sudo systemctl disable --now rabbitmq-server >&2 || true
  fi
}

write_rabbitmq_files() {
  local base=$1
  mkdir -p "$base/mnesia" "$base/log"
  printf '%s\n' "listeners.tcp.1 = 127.0.0.1:$rabbit_port" "loopback_users.guest = true" \
    "log.file.level = warning" >"$base/rabbitmq.conf"
  echo "[]." >"$base/enabled_plugins"
  : >"$base/rabbitmq-env.conf"
  # The environment of the node and of its CLI tools: rabbitmqctl finds the node through the
  # same name, the cookie in $HOME and epmd.
  printf 'export %s\n' \
    "HOME=$base" \
    "RABBITMQ_NODENAME=valet-test@localhost" \
    "RABBITMQ_NODE_IP_ADDRESS=127.0.0.1" \
    "RABBITMQ_NODE_PORT=$rabbit_port" \
    "RABBITMQ_DIST_PORT=$((rabbit_port + 1))" \
    "RABBITMQ_CONFIG_FILE=$base/rabbitmq.conf" \
    "RABBITMQ_CONF_ENV_FILE=$base/rabbitmq-env.conf" \
    "RABBITMQ_ENABLED_PLUGINS_FILE=$base/enabled_plugins" \
    "RABBITMQ_MNESIA_BASE=$base/mnesia" \
    "RABBITMQ_LOG_BASE=$base/log" \
    "RABBITMQ_PID_FILE=$base/rabbitmq.pid" \
    "RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS='-kernel inet_dist_use_interface {127,0,0,1}'" \
    "ERL_EPMD_ADDRESS=127.0.0.1" >"$base/env"
  # Starts the node in the background and waits until it accepts work (90 s at most).
  cat >"$base/start.sh" <<'START'
#!/usr/bin/env bash
set -euo pipefail
base=$(cd "$(dirname "$0")" && pwd)
. "$base/env"
as_rabbitmq() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u rabbitmq -- env HOME="$HOME" "$@"; else env "$@"; fi
}
rm -f "$RABBITMQ_PID_FILE"
as_rabbitmq setsid nohup /usr/lib/rabbitmq/bin/rabbitmq-server \
  >>"$RABBITMQ_LOG_BASE/console.log" 2>&1 </dev/null &
as_rabbitmq timeout 100 /usr/lib/rabbitmq/bin/rabbitmqctl -q -n "$RABBITMQ_NODENAME" \
  wait --timeout 90 "$RABBITMQ_PID_FILE" >/dev/null
START
  chmod 755 "$base/start.sh"
  if [ "$(id -u)" -eq 0 ]; then chown -R rabbitmq:rabbitmq "$base"; fi
}

rabbit_running() {
  local pid
  pid=$(cat "$dir/rabbitmq/rabbitmq.pid" 2>/dev/null || true)
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null &&
    (exec 3<>"/dev/tcp/127.0.0.1/$rabbit_port") 2>/dev/null
}

start_rabbitmq() {
  install_rabbitmq
  local base=$dir/rabbitmq
  mkdir -p "$dir"
  if ! rabbit_running; then
    write_rabbitmq_files "$base"
    log "starting RabbitMQ on 127.0.0.1:$rabbit_port"
    if ! "$base/start.sh"; then
      log "RabbitMQ did not start; see $base/log"
      exit 1
    fi
  fi
  echo "export RABBITMQ_URI=amqp://guest:guest@127.0.0.1:$rabbit_port/"
  echo "export VALET_RABBITMQ_PID_FILE=$base/rabbitmq.pid"
  echo "export VALET_RABBITMQ_START=$base/start.sh"
}

stop_rabbitmq() {
  local pid
  pid=$(cat "$dir/rabbitmq/rabbitmq.pid" 2>/dev/null || true)
  { [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; } || return 0
  kill -TERM "$pid"
  while kill -0 "$pid" 2>/dev/null; do sleep 0.2; done
}

case "${1:-}" in
  --stop)
    stop_postgres
    stop_mariadb
    stop_redis
    stop_rabbitmq
    ;;
  *)
    start_postgres
    start_mariadb
    start_redis
    start_rabbitmq
    ;;
esac
