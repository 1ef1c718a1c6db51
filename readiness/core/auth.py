"""The signed-in user, read on every request with one plain statement."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class UserBackend(ModelBackend):
    """Django's ModelBackend, but the user of a session is read with a raw statement: building
    the ORM query costs more than the round trip for this one-row read on every request."""

    def get_user(self, user_id):
        User = get_user_model()
        sql = f"SELECT * FROM {User._meta.db_table} WHERE {User._meta.pk.column} = %s"
        try:
            user_id = User._meta.pk.to_python(user_id)
        except Exception:
            return None
        user = next(iter(User._default_manager.raw(sql, [user_id])), None)
        return user if user is not None and self.user_can_authenticate(user) else None
