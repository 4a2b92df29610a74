"""The reference data the data migrations load, for tests whose database is flushed."""


def load_reference_data() -> None:
    """What the data migrations load (topics, claims list, clinics, routing rules, the
    Reception group and its permissions); a transactional test's flush removes it after each
    test, so each transactional test loads it again (the loaders only add what is missing)."""
    import importlib

    from django.apps import apps

    for module in (
        "blog.migrations.0002_topics_and_claim_phrases",
        "bookings.migrations.0002_clinics_routing_and_reception",
    ):
        importlib.import_module(module).load(apps, None)
    # The Reception group's later permissions: the schedules, then the appointments.
    importlib.import_module(
        "bookings.migrations.0006_schedule_change_times_and_reception"
    ).give_reception_the_schedule(apps, None)
    importlib.import_module(
        "bookings.migrations.0007_reception_books_appointments"
    ).give_reception_appointments(apps, None)
