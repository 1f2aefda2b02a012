"""Pupil accounts as accounts makes them: from a CSV of first names, with no email, on slips."""

import pytest

from netlearn.accounts import pupils, selectors
from netlearn.accounts.errors import AccountError, InvalidPupilFile
from netlearn.accounts.models import Kind, Person
from netlearn.accounts.pupil_passwords import WORDS, WORDS_IN_A_PASSWORD


def test_a_pupil_file_is_read_whatever_the_header_spelling():
    text = "\ufeffFirst_Name, Year-Group ,CLASS\nAmara,7,7B\n\n  ,  ,  \nBen,0,\n"
    assert pupils.parse_pupil_file(text) == [
        pupils.PupilRow("Amara", 7, "7B"),
        pupils.PupilRow("Ben", 0, ""),
    ]


def test_every_problem_in_a_pupil_file_names_its_row_and_column():
    text = "first name,year group,class\n,7,7B\nBen,Year 8,\nCara,7," + "x" * 31 + "\n"
    with pytest.raises(InvalidPupilFile) as caught:
        pupils.parse_pupil_file(text)
    assert caught.value.args[0] == [
        "Row 2, column “first name”: give the pupil's first name.",
        "Row 3, column “year group”: “Year 8” is not a year group from 0 (Reception) to 13.",
        "Row 4, column “class”: at most 30 characters.",
    ]


def test_a_pupil_file_cut_short_names_the_row_it_breaks_on():
    text = 'first name,year group,class\nAmara,7,7B\n,7,\n"Ben,8,8C\n'
    with pytest.raises(InvalidPupilFile) as caught:
        pupils.parse_pupil_file(text)
    assert caught.value.args[0] == [
        "Row 3, column “first name”: give the pupil's first name.",
        "Row 4: the CSV cannot be read (unexpected end of data).",
    ]


def test_a_pupil_file_is_an_account_error():
    with pytest.raises(AccountError):
        pupils.parse_pupil_file("")


@pytest.mark.django_db
def test_pupils_get_accounts_with_no_email_and_a_password_only_on_their_slip(world):
    before = Person.objects.count()
    slips = pupils.create_pupils(
        school=world.school_a,
        rows=[pupils.PupilRow("Zoë", 5, "5M"), pupils.PupilRow("!!", 6, "")],
    )
    assert Person.objects.count() == before + 2
    zoe, nameless = (slip.person for slip in slips)
    assert zoe.kind == Kind.PUPIL and zoe.email == "" and zoe.pupil_school == world.school_a
    assert zoe.username.startswith("zoe") and nameless.username.startswith("pupil")
    assert zoe.check_password(slips[0].password) and slips[0].password != slips[1].password
    assert len(slips[0].password.split("-")) == WORDS_IN_A_PASSWORD
    assert all(word in WORDS for word in slips[0].password.split("-"))


@pytest.mark.django_db
def test_a_reset_password_replaces_the_old_one(world):
    old = pupils.create_pupils(school=world.school_a, rows=[pupils.PupilRow("Amara", 7, "")])[0]
    password = pupils.reset_password(pupil=old.person)
    old.person.refresh_from_db()
    assert old.person.check_password(password) and not old.person.check_password(old.password)


@pytest.mark.parametrize(
    "public_name, message",
    [
        ("Amira\x07", "control characters"),
        ("A" * 61, "60 characters"),
        ("Amira Khan-Ellis", "family name"),
    ],
)
def test_a_public_name_that_says_too_much_is_refused(public_name, message):
    pupil = Person(name="Amira Khan-Ellis", kind=Kind.PUPIL)
    with pytest.raises(AccountError, match=message):
        pupils.clean_public_name(pupil=pupil, public_name=public_name)


def test_a_public_name_is_trimmed():
    pupil = Person(name="Amira Khan-Ellis", kind=Kind.PUPIL)
    assert pupils.clean_public_name(pupil=pupil, public_name="  Amira (Alder) ") == "Amira (Alder)"


@pytest.mark.django_db
def test_the_pupils_of_a_school_are_its_pupil_accounts_only(world):
    amara = pupils.create_pupils(school=world.school_a, rows=[pupils.PupilRow("Amara", 7, "")])
    ben = pupils.create_pupils(school=world.school_b, rows=[pupils.PupilRow("Ben", 7, "")])
    found = set(selectors.pupils_of_school(school=world.school_a))
    assert {world.pupil, amara[0].person} <= found
    assert ben[0].person not in found and world.teacher not in found
    assert {person.kind for person in found} == {Kind.PUPIL}
