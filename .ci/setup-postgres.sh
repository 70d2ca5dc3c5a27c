#!/usr/bin/env bash
# PostgreSQL on 127.0.0.1:55432 for the extractor's query test (PostgresQueryIT): Debian's postgresql,
# a cluster of its own ("sf1820", UTF-8), a database and user for the tests. Idempotent and quick on a
# second run; needs root. Writes /srv/sf1820-postgres/postgres-test.properties, which the test reads
# (the test skips, saying so, where the file is absent).
set -euo pipefail

VERSION_GLOB=/usr/lib/postgresql/*/bin/pg_ctl
CLUSTER=sf1820
PORT=55432
DATABASE=sf1820_test
DB_USER=sf1820
BASE=/srv/sf1820-postgres
PROPERTIES=$BASE/postgres-test.properties

if [[ $(id -u) -ne 0 ]]; then
  echo "setup-postgres: not root, skipping (PostgresQueryIT will skip)" >&2
  exit 0
fi
if ! compgen -G "$VERSION_GLOB" >/dev/null || ! command -v pg_createcluster >/dev/null; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
fi
# The newest installed major version.
VERSION=$(ls -d /usr/lib/postgresql/*/ | xargs -n1 basename | sort -n | tail -1)

if ! pg_lsclusters -h | awk '{print $1" "$2}' | grep -qx "$VERSION $CLUSTER"; then
  pg_createcluster --port "$PORT" --encoding UTF8 --locale C.UTF-8 "$VERSION" "$CLUSTER" -- --auth-local=peer \
    --auth-host=scram-sha-256 >/dev/null
  # loopback only
  echo "listen_addresses = '127.0.0.1'" >> "/etc/postgresql/$VERSION/$CLUSTER/postgresql.conf"
fi
if ! pg_lsclusters -h | awk -v v="$VERSION" -v c="$CLUSTER" '$1==v && $2==c {print $4}' | grep -qx online; then
  pg_ctlcluster "$VERSION" "$CLUSTER" start
fi

install -d -m 0755 "$BASE"
if [[ ! -f $BASE/password ]]; then
  (umask 077; head -c 18 /dev/urandom | base64 | tr -d '/+=' > "$BASE/password")
fi
PASSWORD=$(cat "$BASE/password")

psql_admin() { runuser -u postgres -- psql -p "$PORT" -v ON_ERROR_STOP=1 -qtA "$@"; }
if [[ -z $(psql_admin -c "select 1 from pg_roles where rolname = '$DB_USER'") ]]; then
  psql_admin -c "create role $DB_USER login password '$PASSWORD'"
else
  psql_admin -c "alter role $DB_USER password '$PASSWORD'"
fi
if [[ -z $(psql_admin -c "select 1 from pg_database where datname = '$DATABASE'") ]]; then
  psql_admin -c "create database $DATABASE owner $DB_USER encoding 'UTF8' template template0"
fi

cat > "$PROPERTIES" <<PROPS
# written by .ci/setup-postgres.sh
url=jdbc:postgresql://127.0.0.1:$PORT/$DATABASE
username=$DB_USER
password=$PASSWORD
PROPS
chmod 0644 "$PROPERTIES"
echo "setup-postgres: PostgreSQL $VERSION cluster $CLUSTER on 127.0.0.1:$PORT, database $DATABASE ($PROPERTIES)"
