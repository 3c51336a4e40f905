"""The warning list's order index made covering: (due_on, id, region).

A far page's id query (ORDER BY due_on, id with the area's region filter, OFFSET n) then reads the
index alone: SQLite no longer looks up the table row of each skipped warning to test its region,
PostgreSQL can scan index-only. The new index is built before the old (due_on, id) one is dropped.
"""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('monitoring', '0003_list_order'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='alert',
            index=models.Index(fields=['due_on', 'id', 'region'], name='monitoring_alert_list_cover'),
        ),
        migrations.RemoveIndex(
            model_name='alert',
            name='monitoring_alert_list_order',
        ),
    ]
