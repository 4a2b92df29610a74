from django.contrib.auth.management import create_permissions
from django.db import migrations

# Reception offers an enquiry times by email and must see what it offered, on the enquiry's
# page, through the same `for_staff` path as everything else (which asks for the view
# permission). Offering times is working on the enquiry: the admin asks for the permission to
# change enquiries, so no add or change permission on the offers themselves is needed.
RECEPTION_OFFER_PERMISSIONS = ["view_timeoffer", "view_offeredtime"]


def offer_permissions(apps):
    # Permissions are normally created after all migrations; the group needs them now.
    app_config = apps.get_app_config("bookings")
    original = getattr(app_config, "models_module", None)
    app_config.models_module = original or True  # a historical app stub lacks it
    create_permissions(app_config, verbosity=0, apps=apps)
    app_config.models_module = original
    return apps.get_model("auth", "Permission").objects.filter(
        content_type__app_label="bookings", codename__in=RECEPTION_OFFER_PERMISSIONS
    )


def let_reception_see_offers(apps, schema_editor):
    reception = apps.get_model("auth", "Group").objects.filter(name="Reception").first()
    if reception:
        reception.permissions.add(*offer_permissions(apps))


def hide_offers_from_reception(apps, schema_editor):
    reception = apps.get_model("auth", "Group").objects.filter(name="Reception").first()
    if reception:
        reception.permissions.remove(*offer_permissions(apps))


class Migration(migrations.Migration):
    dependencies = [
        ("bookings", "0011_waiting_list_reception_permissions"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(let_reception_see_offers, hide_offers_from_reception),
    ]
