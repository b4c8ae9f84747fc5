#!/usr/bin/env bash
# Remakes ../production.sql: creates production-schema.sql in a scratch database on a PostgreSQL 15 server at
# 127.0.0.1:5432 (trust authentication for user postgres), dumps it with that server's pg_dump in plain format, and
# drops the database and the production roles again, so no server the examples load the dump into has those roles.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
bin=/usr/lib/postgresql/15/bin
conn=(-h 127.0.0.1 -p 5432 -U postgres)
db=ipgtest_roastery_production
roles=(roastery_app roastery_reporting roastery_support)

psql() { "$bin/psql" "${conn[@]}" -X -q -v ON_ERROR_STOP=1 "$@"; }

cleanup() {
    psql -d postgres -c "DROP DATABASE IF EXISTS $db"
    for role in "${roles[@]}"; do
        psql -d postgres -c "DROP ROLE IF EXISTS $role"
    done
}
trap cleanup EXIT

for role in "${roles[@]}"; do
    psql -d postgres -c "CREATE ROLE $role"
done
psql -d postgres -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db TEMPLATE template0 ENCODING 'UTF8'"
psql -d "$db" -f "$here/production-schema.sql"
# A fixed key keeps pg_dump's \restrict line, and so the file, the same from one run to the next.
"$bin/pg_dump" "${conn[@]}" -Fp --restrict-key=isolatedpgexamplekey -d "$db" -f "$here/../production.sql"
