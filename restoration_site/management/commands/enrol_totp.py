import qrcode
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django_otp.plugins.otp_totp.models import TOTPDevice


class Command(BaseCommand):
    help = (
        "Enrol a staff account for two-factor login: creates an authenticator (TOTP) device and "
        "prints the QR code to scan with an authenticator app."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="Authenticator app", help="Name of the device.")
        parser.add_argument(
            "--replace", action="store_true", help="Remove the account's existing devices first."
        )

    def handle(self, *args, username: str, name: str, replace: bool, **options) -> None:
        user = get_user_model().objects.filter(username=username, is_staff=True).first()
        if user is None:
            raise CommandError(f"No staff account called {username!r}.")
        if replace:
            TOTPDevice.objects.filter(user=user).delete()
        device = TOTPDevice.objects.create(user=user, name=name, confirmed=True)
        qr = qrcode.QRCode(border=1)
        qr.add_data(device.config_url)
        qr.print_ascii(out=self.stdout._out, invert=True)
        self.stdout.write(
            f"Scan this with an authenticator app, or enter the link by hand:\n"
            f"{device.config_url}\n"
            f"{username} now signs in to the admin with their password and the app's code."
        )
