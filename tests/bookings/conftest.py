import pytest

from tests.factories import staff_user


@pytest.fixture
def reception(client):
    """Restoration U's receptionist, signed in through the test's client."""
    user = staff_user("restoration-u")
    client.force_login(user)
    return user
