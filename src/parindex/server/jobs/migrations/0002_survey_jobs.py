"""The surveys' draw and import jobs, which had a table of their own, become jobs of the
general model (kind ``survey-draw`` / ``survey-import``, the survey as subject); ids are kept
so that the addresses of their pages still lead to them."""

from typing import Any

from django.db import migrations

KINDS = {"draw": "survey-draw", "import": "survey-import"}


def forward(apps: Any, schema_editor: Any) -> None:
    Old = apps.get_model("surveys", "Job")
    New = apps.get_model("jobs", "Job")
    ContentType = apps.get_model("contenttypes", "ContentType")
    survey_type, _created = ContentType.objects.get_or_create(app_label="surveys", model="survey")
    New.objects.bulk_create(
        New(
            id=old.id,
            kind=KINDS[old.kind],
            state=old.state,
            step=old.step,
            progress=old.progress,
            subject_type=survey_type,
            subject_id=old.survey_id,
            upload_name=old.upload_name,
            staged=old.staged,
            params=old.params,
            result=old.result,
            error=old.error,
            created_by_id=old.created_by_id,
            finished_at=old.finished_at,
        )
        for old in Old.objects.all()
    )
    created = {old.id: old.created_at for old in Old.objects.all()}
    for job in New.objects.filter(id__in=list(created)):
        job.created_at = created[job.id]
        job.save(update_fields=["created_at"])
    if created and schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:  # the sequence after the kept ids
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence('jobs_job', 'id'), MAX(id)) FROM jobs_job"
            )


class Migration(migrations.Migration):
    dependencies = [
        ("jobs", "0001_initial"),
        ("surveys", "0008_background_jobs"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
