from django.db import migrations

from ccx.practices.reference import TECHNOLOGIES, THEMES


def create_vocabularies(apps, schema_editor):
    for model_name, entries in (("Theme", THEMES), ("Technology", TECHNOLOGIES)):
        model = apps.get_model("practices", model_name)
        for slug, name in entries:
            model.objects.update_or_create(slug=slug, defaults={"name": name})


class Migration(migrations.Migration):
    dependencies = [("practices", "0001_initial")]

    operations = [migrations.RunPython(create_vocabularies, migrations.RunPython.noop)]
