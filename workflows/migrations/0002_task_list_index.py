"""An index for the reviewer's lists on viewflow's task table (a third-party table, so raw SQL with
its reverse; no model state changes): my tasks are found by (owner, status), the queue by (no owner,
status NEW, the role's permission), both in order of arrival. See docs/performance.md."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("workflows", "0001_initial"),
        ("viewflow", "0015_task_scheduled"),
    ]

    operations = [
        migrations.RunSQL(
            sql=(
                "CREATE INDEX workflows_task_list_idx "
                "ON viewflow_task (owner_id, status, owner_permission, created)"
            ),
            reverse_sql="DROP INDEX workflows_task_list_idx",
        ),
    ]
