"""Console benchmark: the queue's first page and a case page over a large Postgres database.

    .venv/bin/python bench/console.py [--cases 100000] [--reports 500000] [--rounds 60]

Starts a throwaway Postgres on 127.0.0.1, migrates it, loads the demo (units, staff, a few
real cases), then adds `--cases` cases and `--reports` reports with set-based SQL: most of a
unit's cases are closed, the rest spread over the open statuses, and every twentieth case
shares a phone number with nineteen others (a campaign, so related-case look-ups have work to
do). It then renders, in this process with Django's test client logged in as the demo's
national supervisor, the queue's first page (default filters and a filtered one) and the case
pages of cases with many reports, and prints p50/p95/max milliseconds and the number of SQL
queries of each page. Not run by tests.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--reports", type=int, default=500_000)
    parser.add_argument("--rounds", type=int, default=60)
    args = parser.parse_args()

    from frontstage.lib.throwaway_postgres import create_database, throwaway_postgres

    with throwaway_postgres() as pg:
        create_database(pg)
        os.environ.update(
            DATABASE_URL=f"postgres://{pg.user}@{pg.host}:{pg.port}/frontstage",
            ALLOWED_HOSTS="testserver",
            LOG_LEVEL="WARNING",
            DATA_DIR=str(ROOT / "var" / "bench"),
        )
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "frontstage.settings")
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        call_command("demo", "--quiet")
        started = time.monotonic()
        _fill(args.cases, args.reports)
        print(
            f"{args.cases:,} cases and {args.reports:,} reports loaded in "
            f"{time.monotonic() - started:.0f} s (Postgres at {pg.host}:{pg.port})"
        )
        _measure(args.rounds)


def _fill(cases: int, reports: int) -> None:
    """Cases, subjects and reports in a few INSERT … SELECT statements."""
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT max(id) FROM cases_case")
        first = (cursor.fetchone()[0] or 0) + 1
        cursor.execute("SELECT array_agg(id ORDER BY id) FROM units_unit")
        units = cursor.fetchone()[0]
        cursor.execute("SELECT array_agg(id ORDER BY id) FROM cases_category WHERE unit_id IS NULL")
        categories = cursor.fetchone()[0]
        params = {"first": first, "cases": cases, "units": units, "categories": categories}
        cursor.execute(
            """
            INSERT INTO cases_case (id, unit_id, category_id, status, severity, priority, summary,
                outcome, opened_at, closed_at, priority_factors, acknowledge_by, decide_by,
                sources)
            SELECT %(first)s + g,
                (%(units)s::int[])[1 + g %% cardinality(%(units)s::int[])],
                (%(categories)s::int[])[1 + (g / 7) %% cardinality(%(categories)s::int[])],
                CASE WHEN g %% 10 < 6 THEN 'closed' WHEN g %% 10 < 8 THEN 'new'
                     WHEN g %% 10 = 8 THEN 'triaged' ELSE 'in_review' END,
                (ARRAY['low','medium','high','critical'])[1 + g %% 4],
                g %% 101, 'Benchmark case ' || g,
                CASE WHEN g %% 10 < 6 THEN 'action_taken' ELSE '' END,
                now() - (g || ' minutes')::interval,
                CASE WHEN g %% 10 < 6 THEN now() - ((g / 2) || ' minutes')::interval END,
                '[]'::jsonb,
                now() - (g || ' minutes')::interval + interval '24 hours',
                now() - (g || ' minutes')::interval + interval '7 days',
                ''
            FROM generate_series(0, %(cases)s - 1) AS g
            """,
            params,
        )
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence('cases_case', 'id'), %s)", [first + cases]
        )
        # One URL subject per case, and one phone number per twenty cases.
        cursor.execute(
            """
            INSERT INTO cases_subject (kind, key, created_at)
            SELECT 'url', 'bench-' || g || '.example/p', now()
            FROM generate_series(0, %(cases)s - 1) AS g
            UNION ALL
            SELECT 'phone', '+86139' || lpad(g::text, 8, '0'), now()
            FROM generate_series(0, %(cases)s / 20) AS g
            """,
            params,
        )
        cursor.execute(
            """
            INSERT INTO cases_case_subjects (case_id, subject_id)
            SELECT %(first)s + g, s.id FROM generate_series(0, %(cases)s - 1) AS g
            JOIN cases_subject s ON s.kind = 'url' AND s.key = 'bench-' || g || '.example/p'
            UNION ALL
            SELECT %(first)s + g, s.id FROM generate_series(0, %(cases)s - 1) AS g
            JOIN cases_subject s
              ON s.kind = 'phone' AND s.key = '+86139' || lpad((g / 20)::text, 8, '0')
            """,
            params,
        )
        cursor.execute(
            """
            INSERT INTO intake_report (source, case_id, category_id, locations, explanation,
                region_code, language, reporter_name, reporter_email, good_faith, external_ref,
                legal_basis, idempotency_scope, idempotency_key, request_digest, received_at)
            SELECT (ARRAY['public','public','public','trusted_flagger','patrol'])[1 + r %% 5],
                c.id, c.category_id,
                jsonb_build_array(jsonb_build_object('kind', 'url', 'key',
                    'bench-' || (c.id - %(first)s) || '.example/p')),
                'Benchmark report ' || r || ': a fake parcel-fee page asking for a card number.',
                'CN-GD', 'en', '', '', true, '', '', '', '', '',
                c.opened_at + (r %% 97 || ' minutes')::interval
            FROM generate_series(0, %(reports)s - 1) AS r
            JOIN cases_case c ON c.id = %(first)s + (r::bigint * 7919) %% %(cases)s
            """,
            {**params, "reports": reports},
        )
        cursor.execute(
            """
            INSERT INTO intake_report_subjects (report_id, subject_id)
            SELECT r.id, cs.subject_id FROM intake_report r
            JOIN cases_case_subjects cs ON cs.case_id = r.case_id
            WHERE r.case_id >= %(first)s
            """,
            params,
        )
        cursor.execute(
            """
            INSERT INTO cases_caseevent (case_id, at, actor_label, kind, from_status, to_status,
                payload)
            SELECT r.case_id, r.received_at, 'public', 'report_added', '', '',
                jsonb_build_object('report', r.id, 'source', r.source)
            FROM intake_report r WHERE r.case_id >= %(first)s
            """,
            params,
        )
        # What rescore_case keeps on every case: the sources of its reports.
        cursor.execute(
            """
            UPDATE cases_case c SET sources = s.value
            FROM (SELECT case_id, ',' || string_agg(DISTINCT source, ',' ORDER BY source) || ','
                  AS value FROM intake_report WHERE case_id >= %(first)s GROUP BY case_id) s
            WHERE c.id = s.case_id
            """,
            params,
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def _measure(rounds: int) -> None:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from frontstage.accounts.models import Staff
    from frontstage.cases.models import Case, CaseStatus

    client = Client()
    client.force_login(Staff.objects.get(username="supervisor"))
    busiest = list(
        Case.objects.exclude(status=CaseStatus.CLOSED)
        .order_by("-id")
        .values_list("pk", flat=True)[:rounds]
    )
    pages = {
        "queue, first page": ["/console/"] * rounds,
        "queue, filtered (patrol, high)": ["/console/?source=patrol&severity=high"] * rounds,
        "case page": [f"/console/cases/{pk}/" for pk in busiest],
    }
    print(f"{'page':32} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'queries':>8}")
    for name, urls in pages.items():
        client.get(urls[0])  # warm caches (templates, translations) once
        timings, queries = [], []
        for url in urls:
            with CaptureQueriesContext(connection) as captured:
                began = time.perf_counter()
                response = client.get(url)
                timings.append((time.perf_counter() - began) * 1000)
            if response.status_code != 200:
                raise SystemExit(f"{url} answered {response.status_code}")
            queries.append(len(captured.captured_queries))
        timings.sort()
        p95 = timings[max(0, round(len(timings) * 0.95) - 1)]
        print(
            f"{name:32} {statistics.median(timings):8.1f} {p95:8.1f} {timings[-1]:8.1f} "
            f"{max(queries):8d}"
        )


if __name__ == "__main__":
    main()
