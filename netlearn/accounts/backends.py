from django.contrib.auth.backends import ModelBackend

from .models import Person


class UsernameOrEmailBackend(ModelBackend):
    """Staff may sign in with their email; pupils, who need no email, with their username."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username and "@" in username:
            person = Person.objects.filter(email__iexact=username).first()
            if person is not None:
                username = person.username
        return super().authenticate(request, username=username, password=password, **kwargs)
