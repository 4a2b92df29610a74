from django.conf import settings
from django.contrib.auth.management import create_permissions
from django.db import migrations

RECEPTION_PERMISSIONS = [
    "view_consultationrequest",
    "change_consultationrequest",
    "view_enquirynote",
    "add_enquirynote",
    "view_enquiryphoto",
    "view_enquiryevent",
    "view_notification",
]


def load(apps, schema_editor):
    Clinic = apps.get_model("bookings", "Clinic")
    RoutingRule = apps.get_model("bookings", "RoutingRule")
    restoration_u, _ = Clinic.objects.get_or_create(
        slug="restoration-u",
        defaults={
            "name": "Restoration U",
            "email": settings.CLINIC_EMAIL,
            "phone": settings.CLINIC_PHONE,
            "address": settings.CLINIC_ADDRESS,
            "website": settings.SITE_URL,
        },
    )
    laser_reverse, _ = Clinic.objects.get_or_create(
        slug="laser-reverse",
        defaults={
            "name": "Laser Reverse",
            "email": settings.LASER_REVERSE_EMAIL,
            "phone": settings.LASER_REVERSE_PHONE,
            "address": settings.LASER_REVERSE_ADDRESS or "34 Example Road, London, W1A 0BB",
            "website": settings.LASER_REVERSE_URL,
        },
    )
    # Both laser-removal types go to Laser Reverse, with Restoration U copied; the rest stay.
    for enquiry_type in ("laser_smp", "laser_tattoo"):
        RoutingRule.objects.get_or_create(
            enquiry_type=enquiry_type,
            defaults={"clinic": laser_reverse, "copy_to": restoration_u},
        )
    for enquiry_type in ("new_smp", "smp_correction", "other"):
        RoutingRule.objects.get_or_create(
            enquiry_type=enquiry_type, defaults={"clinic": restoration_u}
        )

    # Permissions are normally created after all migrations; the group needs them now.
    app_config = apps.get_app_config("bookings")
    original = getattr(app_config, "models_module", None)
    app_config.models_module = original or True  # a historical app stub lacks it
    create_permissions(app_config, verbosity=0, apps=apps)
    app_config.models_module = original
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    reception, _ = Group.objects.get_or_create(name="Reception")
    reception.permissions.set(
        Permission.objects.filter(
            content_type__app_label="bookings", codename__in=RECEPTION_PERMISSIONS
        )
    )


class Migration(migrations.Migration):
    dependencies = [
        ("bookings", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
