from django.db import migrations

from ccx.cities.reference import CREATIVE_FIELDS


def create_fields(apps, schema_editor):
    CreativeField = apps.get_model("cities", "CreativeField")
    for position, (slug, name, colour, introduced_in) in enumerate(CREATIVE_FIELDS):
        CreativeField.objects.update_or_create(
            slug=slug, defaults={"name": name, "colour": colour, "position": position, "introduced_in": introduced_in}
        )


class Migration(migrations.Migration):
    dependencies = [("cities", "0001_initial")]

    operations = [migrations.RunPython(create_fields, migrations.RunPython.noop)]
