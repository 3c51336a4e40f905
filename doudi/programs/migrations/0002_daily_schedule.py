"""The daily job of doudi.programs in Django-Q2's schedule table (run by `doudi manage qcluster`)."""

from django.db import migrations

NAME, FUNC = "programs.daily", "doudi.programs.jobs.daily"


def create(apps, schema_editor):
    from doudi.benefits.schedule import first_run

    Schedule = apps.get_model("django_q", "Schedule")
    if not Schedule.objects.filter(name=NAME).exists():
        Schedule.objects.create(name=NAME, func=FUNC, schedule_type="D", repeats=-1, next_run=first_run())


def remove(apps, schema_editor):
    apps.get_model("django_q", "Schedule").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("programs", "0001_initial"),
        ("django_q", "0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more"),
    ]

    operations = [migrations.RunPython(create, remove)]
