"""Who may change an account or its tokens: the person themself, or a site admin."""


def can_change_account(person, target) -> bool:
    if not person.is_authenticated:
        return False
    return person.is_superuser or person.pk == target.pk


def can_manage_tokens(person, target) -> bool:
    # Tokens act as their owner; not even a site admin creates one on another's behalf.
    return person.is_authenticated and person.pk == target.pk and person.kind != "pupil"


def can_export_personal_data(person, target) -> bool:
    # Everyone may have their own data (pupils too: UK GDPR art. 15); a site admin answers a
    # subject access request for anybody.
    if not person.is_authenticated:
        return False
    return person.pk == target.pk or person.is_superuser


def can_erase_person(person, target) -> bool:
    # Never oneself: the last site admin could lock everybody out, and a slip costs everything.
    return person.is_authenticated and person.is_superuser and person.pk != target.pk


# The yes/no rules that have a scope, as (model, rule(person, obj), scope(person)): the policy
# agreement test (tests/test_policy_agreement.py) proves each pair agrees for every role of the
# test world. Every other scope is the only statement of its rule (SCOPES_ALONE).
AGREEMENTS = ()
SCOPES_ALONE = ()
