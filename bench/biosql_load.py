#!/usr/bin/python3
"""The BioSQL baseline of the GenBank benchmark: Biopython's BioSQL loader into PostgreSQL.

Loads a GenBank division (a file, .gz or not, or a folder of them) into a BioSQL database on a
given PostgreSQL server, the way its users do it:

    server = BioSeqDatabase.open_database(driver="psycopg2", ...)
    db = server.new_database("bench")
    db.load(SeqIO.parse(path, "genbank"))
    server.commit()

The BioSQL schema is read at run time from --schema (biosqldb-pg.sql of the biosql/biosql
repository, not part of this project) and run through psycopg2 (no psql needed), into the database
--db, created first when missing (--fresh drops it first). At ~150-210 features/s a 1 GB division
would take hours, so --limit N (first N records) and --time-cap S (no record started after S
seconds) load a prefix of it; the output says which one stopped the load.

Prints one JSON line: records, features, bases, bytes (uncompressed text of the loaded records),
seconds (parse + load + commit, wall clock), records/s, features/s, MB/s, what capped the load.
Needs the Debian packages python3-biopython, python3-biopython-sql and python3-psycopg2: run it with
/usr/bin/python3.
"""

import argparse
import gzip
import json
import os
import sys
import time
import warnings


def division_files(path):
    if os.path.isdir(path):
        return sorted(
            os.path.join(path, f)
            for f in os.listdir(path)
            if (f.endswith(".seq") or f.endswith(".seq.gz") or f.endswith(".gb")
                or f.endswith(".gbk") or f.endswith(".gb.gz"))
        )
    return [path]


def open_text(path):
    if path.endswith(".gz"):
        return gzip.open(path, "rt", encoding="ascii", errors="replace")
    return open(path, "r", encoding="ascii", errors="replace")


def open_binary(path):
    return gzip.open(path, "rb") if path.endswith(".gz") else open(path, "rb")


def records_of(files):
    from Bio import SeqIO

    for f in files:
        with open_text(f) as handle:
            yield from SeqIO.parse(handle, "genbank")


def prefix_bytes(files, records):
    """Uncompressed bytes of the first `records` records: from each file's start (its release
    header included) to the '//' line that ends the last of them."""
    total = 0
    left = records
    for f in files:
        if left == 0:
            break
        with open_binary(f) as h:
            for line in h:
                total += len(line)
                if line.startswith(b"//"):
                    left -= 1
                    if left == 0:
                        break
    return total


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--input", required=True, help="GenBank file (.gz or not) or a folder of them")
    ap.add_argument("--schema", required=True, help="path of biosqldb-pg.sql")
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=5432)
    ap.add_argument("--user", default="postgres")
    ap.add_argument("--password", default=os.environ.get("BIOSQL_PASSWORD", ""))
    ap.add_argument("--db", default="biosql", help="database to load into (created if missing)")
    ap.add_argument("--fresh", action="store_true", help="drop and re-create --db first")
    ap.add_argument("--namespace", default="bench", help="BioSQL sub-database (biodatabase)")
    ap.add_argument("--limit", type=int, default=0, help="load at most N records (0: all)")
    ap.add_argument("--time-cap", type=float, default=0,
                    help="start no record after S seconds (0: no cap)")
    a = ap.parse_args()

    import psycopg2
    import Bio
    from BioSQL import BioSeqDatabase

    conn_args = dict(host=a.host, port=a.port, user=a.user)
    if a.password:
        conn_args["password"] = a.password

    # The database and its schema (untimed).
    admin = psycopg2.connect(dbname="postgres", **conn_args)
    admin.autocommit = True
    with admin.cursor() as c:
        if a.fresh:
            c.execute('DROP DATABASE IF EXISTS "%s"' % a.db.replace('"', '""'))
        c.execute("SELECT 1 FROM pg_database WHERE datname = %s", (a.db,))
        created = c.fetchone() is None
        if created:
            c.execute('CREATE DATABASE "%s"' % a.db.replace('"', '""'))
    admin.close()
    if created:
        with open(a.schema, encoding="utf-8") as f:
            ddl = f.read()
        conn = psycopg2.connect(dbname=a.db, **conn_args)
        with conn, conn.cursor() as c:
            c.execute(ddl)
        conn.close()

    files = division_files(a.input)
    counts = {"records": 0, "features": 0, "bases": 0}
    capped = {"by": "none"}
    t0 = time.monotonic()

    def capped_records():
        # The caps are checked before the next record is parsed, so none is read for nothing.
        it = records_of(files)
        while True:
            if a.limit and counts["records"] >= a.limit:
                capped["by"] = "limit"
                return
            if a.time_cap and time.monotonic() - t0 >= a.time_cap:
                capped["by"] = "time"
                return
            rec = next(it, None)
            if rec is None:
                return
            counts["records"] += 1
            counts["features"] += len(rec.features)
            counts["bases"] += len(rec.seq)
            yield rec

    with warnings.catch_warnings():
        # Biopython warns that the schema's BioPerl rules slow loading; the schema is used as is.
        warnings.simplefilter("ignore")
        server = BioSeqDatabase.open_database(driver="psycopg2", db=a.db, **conn_args)
        try:
            if a.namespace in server:
                del server[a.namespace]
                server.commit()
            db = server.new_database(a.namespace, description="pgingest GenBank benchmark")
            loaded = db.load(capped_records())
            server.commit()
        finally:
            server.close()
    seconds = time.monotonic() - t0
    assert loaded == counts["records"], (loaded, counts)

    nbytes = prefix_bytes(files, counts["records"])
    out = {
        "loader": "biosql",
        "biopython": Bio.__version__,
        "records": counts["records"],
        "features": counts["features"],
        "bases": counts["bases"],
        "bytes": nbytes,
        "seconds": round(seconds, 3),
        "records_per_s": round(counts["records"] / seconds, 2) if seconds else 0,
        "features_per_s": round(counts["features"] / seconds, 1) if seconds else 0,
        "mb_per_s": round(nbytes / 1e6 / seconds, 4) if seconds else 0,
        "capped_by": capped["by"],
        "limit": a.limit,
        "time_cap": a.time_cap,
    }
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
