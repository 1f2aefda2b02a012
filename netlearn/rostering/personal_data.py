"""A person's roster links (the contract: netlearn/accounts/personal_data.py).

Erasure deletes them: a link says which id a school's records give the person, and nothing else
needs it. A later import that lists them again finds no link and makes a new account, which is
what erasing the old one asks.
"""

from netlearn.accounts.personal_data import label, rows

from .models import RosterLink

MODELS = (RosterLink,)


def export(person) -> dict[str, list[dict]]:
    return {
        label(RosterLink): rows(
            RosterLink.objects.filter(person=person).select_related("school"),
            person,
            extra=lambda link: {"school_name": link.school.name},
        ),
    }


def erase(person) -> None:
    RosterLink.objects.filter(person=person).delete()
