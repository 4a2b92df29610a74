"""The reference data the data migrations load, for tests whose database is flushed."""


def load_reference_data() -> None:
    """What the data migrations load (topics, claims list, clinics, routing rules, the
    Reception group); a transactional test's flush removes it after each test, so each
    transactional test loads it again (the loaders only add what is missing)."""
    import importlib

    from django.apps import apps

    for module in (
        "blog.migrations.0002_topics_and_claim_phrases",
        "bookings.migrations.0002_clinics_routing_and_reception",
    ):
        importlib.import_module(module).load(apps, None)
