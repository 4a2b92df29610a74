from django.contrib.auth.management import create_permissions
from django.db import migrations

# The reception desk books clients by phone, and moves and cancels their appointments (the
# admin's "change" is moving and cancelling: an appointment's page is otherwise read-only).
# Appointments are never deleted in the admin: they go with their enquiry.
RECEPTION_APPOINTMENT_PERMISSIONS = ["view_appointment", "add_appointment", "change_appointment"]


def appointment_permissions(apps):
    # Permissions are normally created after all migrations; the group needs them now.
    app_config = apps.get_app_config("bookings")
    original = getattr(app_config, "models_module", None)
    app_config.models_module = original or True  # a historical app stub lacks it
    create_permissions(app_config, verbosity=0, apps=apps)
    app_config.models_module = original
    return apps.get_model("auth", "Permission").objects.filter(
        content_type__app_label="bookings", codename__in=RECEPTION_APPOINTMENT_PERMISSIONS
    )


def give_reception_appointments(apps, schema_editor):
    reception = apps.get_model("auth", "Group").objects.filter(name="Reception").first()
    if reception:
        reception.permissions.add(*appointment_permissions(apps))


def take_appointments_from_reception(apps, schema_editor):
    reception = apps.get_model("auth", "Group").objects.filter(name="Reception").first()
    if reception:
        reception.permissions.remove(*appointment_permissions(apps))


class Migration(migrations.Migration):
    dependencies = [
        ("bookings", "0006_schedule_change_times_and_reception"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(give_reception_appointments, take_appointments_from_reception),
    ]
