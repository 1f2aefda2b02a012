"""Who may change an account or its tokens: the person themself, or a site admin."""


def can_change_account(person, target) -> bool:
    if not person.is_authenticated:
        return False
    return person.is_superuser or person.pk == target.pk


def can_manage_tokens(person, target) -> bool:
    # Tokens act as their owner; not even a site admin creates one on another's behalf.
    return person.is_authenticated and person.pk == target.pk and person.kind != "pupil"
