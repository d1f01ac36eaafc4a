#!/usr/bin/env bash
# The production stack on one machine, in the foreground: PostgreSQL and Redis (Debian's packages,
# installed when missing), then migrate, collectstatic, gunicorn on 127.0.0.1:$PORT, a Celery worker
# and beat, all with config.settings.production. Ctrl-C stops what this script started.
#
#   config/deploy/stack.sh                                   a real install: PUBLIC_BASE_URL=https://... required
#   DJANGO_DEMO_DATA=1 config/deploy/stack.sh                a local trial with the demo data (see docs/deploy.md)
#   config/deploy/stack.sh manage createsuperuser            any manage.py command, with the stack's environment
#
# Secrets are generated once into var/stack.env (mode 600; the environment overrides it). Details and
# every variable: docs/deploy.md.
set -euo pipefail

cd "$(dirname "$0")/../.."
BIN=${VENV:-$PWD/.venv}/bin
PORT=${PORT:-8000}
REDIS_PORT=${REDIS_PORT:-6379}
[ -x "$BIN/python" ] || { echo "stack.sh: no virtualenv at ${BIN%/bin} (make install, or VENV=/path/to/venv)" >&2; exit 1; }

# --- secrets: generated once into var/stack.env with the installation's names (a variable already set wins)
ENV_FILE=${STACK_ENV_FILE:-$PWD/var/stack.env}
if [ ! -f "$ENV_FILE" ]; then
    mkdir -p "$(dirname "$ENV_FILE")"
    (
        umask 077
        cat >"$ENV_FILE" <<GENERATED
# written by config/deploy/stack.sh on $(date -u +%FT%TZ): keep it secret, and keep a copy with the backups
DJANGO_SECRET_KEY=$("$BIN/python" -c 'import secrets; print(secrets.token_urlsafe(50))')
POSTGRES_DB=${POSTGRES_DB:-transfers_site}
POSTGRES_USER=${POSTGRES_USER:-transfers_site}
POSTGRES_PASSWORD=$("$BIN/python" -c 'import secrets; print(secrets.token_urlsafe(24))')
DJANGO_MEDIA_ROOT=${DJANGO_MEDIA_ROOT:-$PWD/var/media}
GENERATED
    )
    echo "stack.sh: generated $ENV_FILE (secret key, database password)" >&2
fi
. config/deploy/env.sh
STATE=$ROOT/var/stack
mkdir -p "$STATE" "$ROOT/var/log"
export CELERY_BROKER_URL=${CELERY_BROKER_URL:-redis://127.0.0.1:$REDIS_PORT/0}
export REDIS_CACHE_URL=${REDIS_CACHE_URL:-redis://127.0.0.1:$REDIS_PORT/1}

if [ "$(id -u)" = 0 ]; then AS_ROOT=(); AS_POSTGRES=(runuser -u postgres --)
elif command -v sudo >/dev/null 2>&1; then AS_ROOT=(sudo -n); AS_POSTGRES=(sudo -n -u postgres)
else AS_ROOT=(false); AS_POSTGRES=(false); fi

apt_install() {  # apt_install <command it provides> <package>
    command -v "$1" >/dev/null 2>&1 && return 0
    say "installing $2 (apt)"
    "${AS_ROOT[@]}" apt-get install -y -qq "$2" >/dev/null 2>&1 ||
        { "${AS_ROOT[@]}" apt-get update -qq && "${AS_ROOT[@]}" apt-get install -y -qq "$2" >/dev/null; } ||
        die "could not install $2: install it yourself (apt-get install $2), or run this as root"
}

# --- a real install, or a local trial without TLS ----------------------------------------------------------
if [ -z "${PUBLIC_BASE_URL:-}" ]; then
    TRIAL=1
    export PUBLIC_BASE_URL=http://127.0.0.1:$PORT
    export DJANGO_ALLOWED_HOSTS=${DJANGO_ALLOWED_HOSTS:-127.0.0.1,localhost}
    # plain HTTP on this machine only: no redirect to https, no HSTS; notices may print this local address
    # (they are hashed with it: a trial's notices are for trying only)
    export DJANGO_SECURE_SSL_REDIRECT=0 DJANGO_HSTS_SECONDS=0 DJANGO_NOTICES_REQUIRE_PUBLIC_ADDRESS=0
    say "PUBLIC_BASE_URL unset: a LOCAL TRIAL on $PUBLIC_BASE_URL, plain HTTP (DJANGO_SECURE_SSL_REDIRECT=0)."
    say "  Not for the public: set PUBLIC_BASE_URL=https://... behind a TLS proxy for a real install."
else
    TRIAL=0
    host=$("$BIN/python" -c 'import sys, urllib.parse as u; print(u.urlsplit(sys.argv[1]).hostname or "")' \
        "$PUBLIC_BASE_URL")
    export DJANGO_ALLOWED_HOSTS=${DJANGO_ALLOWED_HOSTS:-$host,127.0.0.1,localhost}
    export DJANGO_CSRF_TRUSTED_ORIGINS=${DJANGO_CSRF_TRUSTED_ORIGINS:-${PUBLIC_BASE_URL%/}}
    export DJANGO_TRUSTED_PROXY_HOPS=${DJANGO_TRUSTED_PROXY_HOPS:-1}  # the TLS proxy of docs/deploy.md
fi

if [ "${1:-}" = manage ]; then
    shift
    exec "$BIN/python" manage.py "$@"
fi

# --- PostgreSQL: the package, its cluster started, the site's role (password from var/stack.env) and database
if [ "$POSTGRES_HOST" = localhost ] || [ "$POSTGRES_HOST" = 127.0.0.1 ]; then
    apt_install pg_lsclusters postgresql
    if ! pg_isready -q -h "$POSTGRES_HOST" -p "$POSTGRES_PORT"; then
        # each cluster started if it is not (one already running, or no root, is not an error here: the
        # readiness check below says what is wrong)
        pg_lsclusters -h | while read -r version cluster _; do
            "${AS_ROOT[@]}" pg_ctlcluster "$version" "$cluster" start 2>/dev/null || true
        done
        for _ in $(seq 20); do pg_isready -q -h "$POSTGRES_HOST" -p "$POSTGRES_PORT" && break; sleep 0.5; done
    fi
    pg_isready -q -h "$POSTGRES_HOST" -p "$POSTGRES_PORT" || die "PostgreSQL does not answer on $POSTGRES_HOST:$POSTGRES_PORT"
    if "${AS_POSTGRES[@]}" true 2>/dev/null; then
        psql_admin() { "${AS_POSTGRES[@]}" psql -p "$POSTGRES_PORT" -v ON_ERROR_STOP=1 -qtA "$@"; }
        if [ "$(psql_admin -c "SELECT 1 FROM pg_roles WHERE rolname = '$POSTGRES_USER'")" != 1 ]; then
            psql_admin -c "CREATE ROLE \"$POSTGRES_USER\" LOGIN"
        fi
        # the role's password is the env file's (a role of its own: tests' `transfers` role is left alone)
        # the password reaches psql on its standard input, never on a command line (ps, sudo's log)
        pw=${POSTGRES_PASSWORD//\\/\\\\}; pw=${pw//\'/\'\'}  # psql's quoting: \ and ' doubled
        printf "\\\\set pw '%s'\\nALTER ROLE \"%s\" PASSWORD :'pw';\\n" "$pw" "$POSTGRES_USER" | psql_admin
        if [ "$(psql_admin -c "SELECT 1 FROM pg_database WHERE datname = '$POSTGRES_DB'")" != 1 ]; then
            psql_admin -c "CREATE DATABASE \"$POSTGRES_DB\" OWNER \"$POSTGRES_USER\" ENCODING 'UTF8' TEMPLATE template0"
            say "created database $POSTGRES_DB"
        fi
    else
        say "not root: the role $POSTGRES_USER and database $POSTGRES_DB must exist already"
    fi
fi

# --- Redis: one already answering on the port is used; otherwise this script runs its own -----------------
PIDS=()
stop_all() {
    trap - INT TERM EXIT
    if [ ${#PIDS[@]} -gt 0 ]; then
        say "stopping"
        kill -TERM "${PIDS[@]}" 2>/dev/null || true
        wait "${PIDS[@]}" 2>/dev/null || true
    fi
}
trap stop_all EXIT
trap 'exit 130' INT TERM

apt_install redis-server redis-server
apt_install curl curl  # the health probe below
if [ "${CELERY_BROKER_URL#redis://127.0.0.1:$REDIS_PORT}" != "$CELERY_BROKER_URL" ]; then
    if redis-cli -p "$REDIS_PORT" ping 2>/dev/null | grep -q PONG; then
        say "using the Redis already answering on 127.0.0.1:$REDIS_PORT"
    else
        mkdir -p "$STATE/redis"
        # appendonly: a queued task survives a restart of Redis
        redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --dir "$STATE/redis" --appendonly yes \
            --logfile "$ROOT/var/log/redis.log" &
        PIDS+=($!)
        for _ in $(seq 20); do redis-cli -p "$REDIS_PORT" ping 2>/dev/null | grep -q PONG && break; sleep 0.25; done
        redis-cli -p "$REDIS_PORT" ping 2>/dev/null | grep -q PONG || die "Redis did not start (var/log/redis.log)"
    fi
fi

# --- the application -------------------------------------------------------------------------------------
manage() { "$BIN/python" manage.py "$@"; }
manage migrate --noinput -v 0
manifest=$ROOT/var/staticfiles/staticfiles.json
if [ ! -f "$manifest" ] || [ -n "$(find static requirements/base.lock -newer "$manifest" -print -quit)" ]; then
    say "collectstatic (a few minutes the first time)"
    manage collectstatic --noinput -v 0
fi
if [ "$TRIAL" = 1 ]; then
    manage check --deploy --fail-level ERROR >"$ROOT/var/log/check-deploy.log" 2>&1 ||
        say "check --deploy reports what a local trial lacks (var/log/check-deploy.log)"
else
    manage check --deploy || die "check --deploy failed: fix the settings above first"
fi
if [ "${DJANGO_DEMO_DATA:-0}" = 1 ]; then
    say "loading the demo data (DJANGO_DEMO_DATA=1: its users share one published password)"
    manage seed_demo >/dev/null
fi

"$BIN/gunicorn" config.wsgi --bind "127.0.0.1:$PORT" --workers "${WEB_CONCURRENCY:-3}" --timeout 60 \
    --access-logfile "$ROOT/var/log/gunicorn-access.log" --error-logfile "$ROOT/var/log/gunicorn.log" &
PIDS+=($!)
# their banners and anything said before logging starts go to their logs too
"$BIN/celery" -A config worker --loglevel=INFO --concurrency "${CELERY_CONCURRENCY:-2}" \
    -f "$ROOT/var/log/celery-worker.log" >>"$ROOT/var/log/celery-worker.log" 2>&1 &
PIDS+=($!)
# one beat for the whole installation (docs/deploy.md): it only queues the periodic sweeps
"$BIN/celery" -A config beat --loglevel=INFO --schedule "$STATE/celerybeat-schedule" \
    -f "$ROOT/var/log/celery-beat.log" >>"$ROOT/var/log/celery-beat.log" 2>&1 &
PIDS+=($!)

for _ in $(seq 60); do
    curl -fsS -o /dev/null "http://127.0.0.1:$PORT/healthz/" 2>/dev/null && break
    sleep 0.5
done
curl -fsS "http://127.0.0.1:$PORT/healthz/" >/dev/null || die "the site does not answer on /healthz/ (var/log/gunicorn.log)"

echo ""
[ "${DJANGO_DEMO_DATA:-0}" = 1 ] && manage seed_demo --logins-only
[ "${DJANGO_DEMO_DATA:-0}" = 1 ] || echo "  No demo data: create the first administrator with 'config/deploy/stack.sh manage createsuperuser'."
echo ""
echo "  Open $PUBLIC_BASE_URL/   (gunicorn on 127.0.0.1:$PORT; logs in var/log/; Ctrl-C stops all)"
echo ""
wait -n "${PIDS[@]}" || true
say "a process of the stack ended on its own: stopping the others (see var/log/)"
exit 1
