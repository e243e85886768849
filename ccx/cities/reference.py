"""The network's creative fields: slug, English name, colour (matching ccx.css) and the year it was added."""

CREATIVE_FIELDS = [
    ("crafts-and-folk-art", "Crafts and Folk Art", "#a8571a", None),
    ("design", "Design", "#0072b2", None),
    ("film", "Film", "#6a3d9a", None),
    ("gastronomy", "Gastronomy", "#c4450c", None),
    ("literature", "Literature", "#00845f", None),
    ("media-arts", "Media Arts", "#b8327e", None),
    ("music", "Music", "#946200", None),
    ("architecture", "Architecture", "#56606b", 2025),
]
