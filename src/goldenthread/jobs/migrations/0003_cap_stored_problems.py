"""Cap the problems jobs stored before they were capped, counting them first.

A job could store millions of problems (hundreds of megabytes of JSON) and
its page then ran out of memory. This keeps the first 1,000 of each job's,
and records how many there were, in the database: no row is loaded here.
"""

from typing import Any

from django.db import migrations

#: The cap of goldenthread.jobs.findings.PROBLEM_LIMIT when this was written.
LIMIT = 1000

# Each statement takes the cap as its parameters (none, or twice).
POSTGRESQL = [
    """UPDATE jobs_job SET problem_count = jsonb_array_length(problems)
       WHERE jsonb_typeof(problems) = 'array'""",
    """UPDATE jobs_job SET problems = COALESCE((
         SELECT jsonb_agg(entry ORDER BY position)
         FROM jsonb_array_elements(jobs_job.problems) WITH ORDINALITY AS t(entry, position)
         WHERE position <= %s), '[]'::jsonb)
       WHERE jsonb_typeof(problems) = 'array' AND jsonb_array_length(problems) > %s""",
]
SQLITE = [
    """UPDATE jobs_job SET problem_count = json_array_length(problems)
       WHERE json_type(problems) = 'array'""",
    """UPDATE jobs_job SET problems = (
         SELECT json_group_array(json(value))
         FROM (SELECT value FROM json_each(jobs_job.problems) ORDER BY key LIMIT %s))
       WHERE json_type(problems) = 'array' AND json_array_length(problems) > %s""",
]


def cap_problems(apps: Any, schema_editor: Any) -> None:
    vendor = schema_editor.connection.vendor
    statements = {"postgresql": POSTGRESQL, "sqlite": SQLITE}.get(vendor, [])
    with schema_editor.connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement, [LIMIT] * statement.count("%s"))


class Migration(migrations.Migration):
    dependencies = [("jobs", "0002_job_heartbeat_and_problem_counts")]

    operations = [migrations.RunPython(cap_problems, migrations.RunPython.noop)]
