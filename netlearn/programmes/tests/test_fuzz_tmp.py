from hypothesis import strategies as st
from schemathesis import GenerationMode

from netlearn.web.tests import test_api_fuzz as F
from netlearn.web.tests.test_api_fuzz import api_schema, app  # noqa: F401

MINE = ("learning-", "support-relationships", "inductions")


def test_fuzz_mine(world, api_schema):  # noqa: F811
    people = world.people_by_role()
    signers = {role: F.Signer(people[role]) for role in F.ROLES}
    fillings = [F.object_ids(world, foreign=False), F.object_ids(world, foreign=True)]
    body_ids = F.real_body_ids(world, fillings)
    spare_tokens = {role: F.spare_token(world, people[role]) for role in F.ROLES}
    fillings[0]["token_id"] = spare_tokens["member"]
    operations = [r.ok() for r in api_schema.get_all_operations()]
    operations = [o for o in operations if any(m in o.path for m in MINE)]
    assert len(operations) > 20
    for operation in operations:
        allowed = F.documented_statuses(operation) | F.STANDARD_REFUSALS
        valid = F.strategies(operation, fillings, body_ids, GenerationMode.POSITIVE)
        F.fuzz(st.one_of(valid), signers, allowed, spare_tokens=spare_tokens)
        if operation.body or operation.query or operation.path_parameters:
            invalid = F.strategies(operation, fillings, body_ids, GenerationMode.NEGATIVE)
            F.fuzz(
                st.one_of(invalid), {F.INVALID_INPUT_ROLE: signers[F.INVALID_INPUT_ROLE]}, allowed
            )
