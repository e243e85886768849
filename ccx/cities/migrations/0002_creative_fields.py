from django.db import migrations

# The network's creative fields; colours match the design system (ccx.css) and read well on white.
FIELDS = [
    ("crafts-and-folk-art", "Crafts and Folk Art", "#a8571a", None),
    ("design", "Design", "#0072b2", None),
    ("film", "Film", "#6a3d9a", None),
    ("gastronomy", "Gastronomy", "#c4450c", None),
    ("literature", "Literature", "#00845f", None),
    ("media-arts", "Media Arts", "#b8327e", None),
    ("music", "Music", "#946200", None),
    ("architecture", "Architecture", "#56606b", 2025),
]


def create_fields(apps, schema_editor):
    CreativeField = apps.get_model("cities", "CreativeField")
    for position, (slug, name, colour, introduced_in) in enumerate(FIELDS):
        CreativeField.objects.update_or_create(
            slug=slug, defaults={"name": name, "colour": colour, "position": position, "introduced_in": introduced_in}
        )


class Migration(migrations.Migration):
    dependencies = [("cities", "0001_initial")]

    operations = [migrations.RunPython(create_fields, migrations.RunPython.noop)]
