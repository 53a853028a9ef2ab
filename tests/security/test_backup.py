"""The backup procedure in docs/operations.md (pg_dump, then pg_restore into an empty database) keeps every row."""

import shutil
import subprocess
import uuid

import psycopg2
import pytest
from django.db import connection

from tests.factories import ClusterMembershipFactory, ProjectApplicationFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _dsn(name: str) -> dict:
    settings = connection.settings_dict
    return {
        "host": settings["HOST"] or "127.0.0.1",
        "port": settings["PORT"] or 5432,
        "user": settings["USER"] or "postgres",
        "dbname": name,
    }


def _row_counts(dsn: dict) -> dict[str, int]:
    with psycopg2.connect(**dsn) as db, db.cursor() as cursor:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
        tables = [row[0] for row in cursor.fetchall()]
        counts = {}
        for table in tables:
            cursor.execute(f'SELECT count(*) FROM "{table}"')  # table names come from pg_tables
            counts[table] = cursor.fetchone()[0]
    return counts


def test_a_dump_restores_into_an_empty_database_with_every_row(tmp_path):
    if not shutil.which("pg_dump"):
        pytest.fail("pg_dump is not installed; install PostgreSQL's client programs (CI does).")
    ProjectApplicationFactory.create_batch(3)
    ClusterMembershipFactory.create_batch(2)
    source = _dsn(connection.settings_dict["NAME"])
    target = {**source, "dbname": f"wego_restore_{uuid.uuid4().hex[:8]}"}
    dump = tmp_path / "wego.dump"
    common = ["-h", str(source["host"]), "-p", str(source["port"]), "-U", source["user"]]
    subprocess.run(["pg_dump", *common, "--format=custom", f"--file={dump}", source["dbname"]], check=True)
    subprocess.run(["createdb", *common, target["dbname"]], check=True)
    try:
        subprocess.run(["pg_restore", *common, "--no-owner", f"--dbname={target['dbname']}", str(dump)], check=True)
        before, after = _row_counts(source), _row_counts(target)
        assert before == after
        assert before["applications_projectapplication"] == 3 and before["clusters_clustermembership"] == 2
    finally:
        subprocess.run(["dropdb", *common, "--if-exists", target["dbname"]], check=True)
