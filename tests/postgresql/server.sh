# server.sh: start and stop a private PostgreSQL server for the extension's tests and benchmark. Sourced.
# The server runs as a non-root OS user (initdb refuses root; as root, the user chipcheck-pg is created when
# missing), in a temporary directory, listening only on a Unix socket in that directory (no TCP).
# pg_start sets PGHOST, PGPORT, PGUSER and PGDATABASE for psql and pg_regress; pg_stop stops the server and
# removes the directory (call it from a trap).

PG_CONFIG=${PG_CONFIG:-/usr/lib/postgresql/15/bin/pg_config}
PG_BINDIR=$("$PG_CONFIG" --bindir)
PG_OS_USER=chipcheck-pg
PG_WORK=

# Run a command as the server's owner.
pg_as_owner() {
    if [ "$(id -u)" = 0 ]; then runuser -u "$PG_OS_USER" -- "$@"; else "$@"; fi
}

# pg_start [SETTING=VALUE...]: initdb and start a server; extra settings go on its command line.
pg_start() {
    PG_WORK=$(mktemp -d "${TMPDIR:-/tmp}/chipcheck-pg.XXXXXX")
    if [ "$(id -u)" = 0 ]; then
        id -u "$PG_OS_USER" >/dev/null 2>&1 ||
            useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin "$PG_OS_USER"
        chown "$PG_OS_USER" "$PG_WORK"
    fi
    opts="-c listen_addresses='' -k '$PG_WORK' -p 5432 -c fsync=off -c synchronous_commit=off"
    for s in "$@"; do opts="$opts -c $s"; done
    if ! (cd "$PG_WORK" && pg_as_owner "$PG_BINDIR/initdb" -D "$PG_WORK/data" -U postgres -A trust -E UTF8 \
            --locale=C --no-sync >"$PG_WORK/initdb.log" 2>&1); then
        cat "$PG_WORK/initdb.log" >&2
        return 1
    fi
    if ! (cd "$PG_WORK" && pg_as_owner "$PG_BINDIR/pg_ctl" -D "$PG_WORK/data" -l "$PG_WORK/server.log" -w -t 60 \
            -o "$opts" start >/dev/null); then
        cat "$PG_WORK/server.log" >&2
        return 1
    fi
    export PGHOST="$PG_WORK" PGPORT=5432 PGUSER=postgres PGDATABASE=postgres
}

# pg_stop: stop the server started by pg_start and remove its directory (a no-op when none was started).
pg_stop() {
    [ -n "$PG_WORK" ] || return 0
    if [ -f "$PG_WORK/data/postmaster.pid" ]; then
        (cd "$PG_WORK" && pg_as_owner "$PG_BINDIR/pg_ctl" -D "$PG_WORK/data" -m fast -w -t 60 stop >/dev/null) ||
            echo "pg_stop: the server in $PG_WORK did not stop" >&2
    fi
    rm -rf "$PG_WORK"
    PG_WORK=
}
