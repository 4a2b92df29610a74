from django.contrib.auth.management import create_permissions
from django.db import migrations

# Reception sees the waiting list and every offer made from it, and can take someone off the
# list (the admin's "change" of an entry; its page is otherwise read-only); entries and offers
# are never deleted in the admin: they go with their enquiry. Reception also sees the times it
# offered an enquiry, on the enquiry's page, through the same `for_staff` path as everything
# else (which asks for the view permission); offering times is working on the enquiry, so the
# admin asks for the permission to change enquiries, not for any on the offers themselves.
RECEPTION_PERMISSIONS = [
    "view_waitinglistentry",
    "change_waitinglistentry",
    "view_waitinglistoffer",
    "view_timeoffer",
    "view_offeredtime",
]


def reception_permissions(apps):
    # Permissions are normally created after all migrations; the group needs them now.
    app_config = apps.get_app_config("bookings")
    original = getattr(app_config, "models_module", None)
    app_config.models_module = original or True  # a historical app stub lacks it
    create_permissions(app_config, verbosity=0, apps=apps)
    app_config.models_module = original
    return apps.get_model("auth", "Permission").objects.filter(
        content_type__app_label="bookings", codename__in=RECEPTION_PERMISSIONS
    )


def give_reception_the_waiting_list_and_offers(apps, schema_editor):
    reception = apps.get_model("auth", "Group").objects.filter(name="Reception").first()
    if reception:
        reception.permissions.add(*reception_permissions(apps))


def take_them_from_reception(apps, schema_editor):
    reception = apps.get_model("auth", "Group").objects.filter(name="Reception").first()
    if reception:
        reception.permissions.remove(*reception_permissions(apps))


class Migration(migrations.Migration):
    dependencies = [
        ("bookings", "0010_reception_desk_offers_and_waiting_list"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(give_reception_the_waiting_list_and_offers, take_them_from_reception),
    ]
