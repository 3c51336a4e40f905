"""Approved 标准调整 (DB-14) rows of doudi.benefits made before the parameter store: their standards
become approved parameter values, so that reviews (which now read the store) keep deciding on them."""

from importlib.util import find_spec

from django.db import migrations


def forward(apps, schema_editor):
    try:
        StandardChange = apps.get_model("benefits", "StandardChange")
    except LookupError:  # doudi.benefits not installed
        return
    ParameterValue = apps.get_model("params", "ParameterValue")
    for sc in StandardChange.objects.filter(state="approved"):
        origin = f"benefits.standard#{sc.pk}"
        if ParameterValue.objects.filter(origin=origin).exists():
            continue
        ParameterValue.objects.create(
            parameter=f"dibao.standard.{sc.residence}", region=sc.region, effective_from=sc.effective_from,
            value=f"{sc.new_standard_fen // 100}.{sc.new_standard_fen % 100:02d}", unit="元/人·月",
            document=sc.source, origin=origin, state="approved", entered_by_id=sc.started_by_id,
            entered_at=sc.started_at, approved_by_id=sc.approved_by_id, approved_at=sc.started_at)


class Migration(migrations.Migration):
    dependencies = [("params", "0001_initial")] + (
        [("benefits", "0006_benefit_of_a_person_alone")] if find_spec("doudi.benefits") else [])

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
