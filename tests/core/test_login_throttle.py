"""Login throttling (django-axes): five wrong passwords for one username from one address
pause that pair for a while; the page says so without telling whether the account exists."""

import datetime
import re

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

URL = reverse("login")
LOCKED = "Too many failed log-in attempts"


def _login(client, username, password, ip="203.0.113.7"):
    return client.post(URL, {"username": username, "password": password}, REMOTE_ADDR=ip)


def _fail_enough(client, username, ip="203.0.113.7"):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = _login(client, username, "wrong-password", ip)
        assert response.status_code == 200
        assert "Please enter a correct username and password" in response.text
    # The fifth failure is the one that locks.
    assert _login(client, username, "wrong-password", ip).status_code == 429


def test_it_locks_a_username_at_one_address_after_five_failures(client):
    UserFactory(username="helen")
    _fail_enough(client, "helen")

    response = _login(client, "helen", PASSWORD)  # even the right password now

    assert response.status_code == 429
    assert LOCKED in response.text
    assert "_auth_user_id" not in client.session


def test_an_unknown_username_gets_the_same_answer(client):
    UserFactory(username="helen")
    _fail_enough(client, "helen")
    known = _login(client, "helen", "wrong-password")
    _fail_enough(client, "nobody-here")
    unknown = _login(client, "nobody-here", "wrong-password")

    assert known.status_code == unknown.status_code == 429

    def without_token(html):
        return re.sub(r'"X-CSRFToken": "[^"]+"', "", html)

    assert without_token(known.text) == without_token(unknown.text)


def test_the_same_username_from_another_address_and_another_username_still_log_in(client):
    UserFactory(username="helen")
    UserFactory(username="omar")
    _fail_enough(client, "helen")

    assert _login(client, "helen", PASSWORD, ip="198.51.100.9").status_code == 302
    client.logout()
    assert _login(client, "omar", PASSWORD).status_code == 302


def test_the_lock_lifts_after_the_cool_off(client):
    UserFactory(username="helen")
    _fail_enough(client, "helen")
    assert datetime.timedelta(minutes=15) == settings.AXES_COOLOFF_TIME
    AccessAttempt.objects.update(attempt_time=timezone.now() - datetime.timedelta(minutes=16))

    assert _login(client, "helen", PASSWORD).status_code == 302


def test_force_login_is_not_throttled(client):
    user = UserFactory(username="helen")
    _fail_enough(client, "helen")
    client.force_login(user)
    assert client.get(reverse("projects:list")).status_code == 200


@pytest.mark.parametrize("username", ["x" * 5000, "a\x00b", "\x01" * 3])
def test_junk_usernames_are_refused_like_any_other(client, username):
    response = _login(client, username, "wrong-password")
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
