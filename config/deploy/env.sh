# Sourced by the scripts of config/deploy/: the installation's environment. A variable already set wins; then
# var/stack.env (written once by stack.sh: the secrets and the names of this machine's installation;
# STACK_ENV_FILE names another file); then the defaults below. Sets ROOT, the checkout's folder.
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
ENV_FILE=${STACK_ENV_FILE:-$ROOT/var/stack.env}
if [ -f "$ENV_FILE" ]; then
    # KEY=value lines read as systemd's EnvironmentFile and django-environ read them: the value is all after
    # the first "=" (a base64 secret ends in "="), one pair of surrounding quotes dropped, a last line
    # without a newline kept
    while IFS= read -r line || [ -n "$line" ]; do
        [[ "$line" =~ ^[A-Za-z_][A-Za-z0-9_]*= ]] || continue  # blanks, comments, anything else
        name=${line%%=*} value=${line#*=}
        if [[ "$value" =~ ^\"(.*)\"$ || "$value" =~ ^\'(.*)\'$ ]]; then value=${BASH_REMATCH[1]}; fi
        [ -n "${!name+x}" ] || export "$name=$value"
    done <"$ENV_FILE"
fi
export DJANGO_SETTINGS_MODULE=${DJANGO_SETTINGS_MODULE:-config.settings.production}
export POSTGRES_DB=${POSTGRES_DB:-transfers_site} POSTGRES_USER=${POSTGRES_USER:-transfers_site}
export POSTGRES_HOST=${POSTGRES_HOST:-localhost} POSTGRES_PORT=${POSTGRES_PORT:-5432}
export DJANGO_MEDIA_ROOT=${DJANGO_MEDIA_ROOT:-$ROOT/var/media}
say() { printf '%s\n' "${0##*/}: $*" >&2; }
die() { say "$*"; exit 1; }
