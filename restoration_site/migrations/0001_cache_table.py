from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    # Without Redis the shared cache (the form's rate limit) is a database table; creating it
    # here means `migrate` alone prepares a new database, wherever it runs. With Redis (or any
    # cache that is not in the database) this does nothing.
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = []

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
