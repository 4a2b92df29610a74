from django.db import migrations

TOPICS = [
    (
        "Scalp micropigmentation",
        "scalp-micropigmentation",
        "What SMP is, who it suits and how a natural hairline is designed.",
    ),
    (
        "Laser removal",
        "laser-removal",
        "Fading or removing unwanted SMP and tattoos with laser, at our sister clinic.",
    ),
    ("Aftercare", "aftercare", "Looking after your scalp in the days and years after SMP."),
    ("Clinic news", "clinic-news", "News from Restoration U and how we work."),
]

CLAIM_PHRASES = [
    ("guaranteed", "Results of cosmetic treatments cannot be guaranteed."),
    ("guarantee", "Results of cosmetic treatments cannot be guaranteed."),
    ("painless", "Most people feel some discomfort; say how it is managed instead."),
    ("pain-free", "Most people feel some discomfort; say how it is managed instead."),
    ("permanent results", "SMP fades over years and may need touch-ups."),
    ("complete removal", "Laser removal fades pigment; full clearance cannot be promised."),
    ("100%", "Absolute figures overstate what any treatment can promise."),
    ("risk-free", "Every treatment carries some risk."),
    ("no side effects", "Temporary redness and discomfort are common."),
]


def load(apps, schema_editor):
    Topic = apps.get_model("blog", "Topic")
    ClaimPhrase = apps.get_model("blog", "ClaimPhrase")
    for position, (name, slug, description) in enumerate(TOPICS):
        Topic.objects.get_or_create(
            slug=slug, defaults={"name": name, "description": description, "position": position}
        )
    for phrase, reason in CLAIM_PHRASES:
        ClaimPhrase.objects.get_or_create(phrase=phrase, defaults={"reason": reason})


class Migration(migrations.Migration):
    dependencies = [("blog", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
