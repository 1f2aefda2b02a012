"""Pupil passwords are easy to type and strong; a reset shows the new one once (issue 13)."""

import math

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from netlearn.accounts.pupil_passwords import WORDS
from netlearn.discussions import services


def test_the_word_list_gives_a_pupil_password_over_40_bits():
    assert len(set(WORDS)) == len(WORDS)
    assert all(word.isalpha() and word.islower() and len(word) <= 5 for word in WORDS)
    assert 4 * math.log2(len(WORDS)) >= 40


def test_imported_and_reset_pupils_get_four_words_from_the_list(world):
    slips = services.import_pupils(
        school=world.school_a, by=world.co_leader, text="first name,year group,class\nAmara,7,\n"
    )
    slips.append(services.reset_pupil_password(pupil=world.pupil, by=world.co_leader))
    for slip in slips:
        words = slip.password.split("-")
        assert len(words) == 4 and all(word in WORDS for word in words)
        slip.person.refresh_from_db()
        assert slip.person.check_password(slip.password)


def test_a_reset_shows_the_new_password_once_and_never_an_old_one(world):
    staff = Client()
    staff.force_login(world.co_leader)
    url = reverse("discussions:reset_password", args=[world.school_a.pk, world.pupil.pk])
    first = staff.post(url)
    first_password = first.context["slips"][0].password
    # Not kept by the browser or a proxy, so Back or a shared cache cannot show it again.
    assert "no-store" in first["Cache-Control"]
    second = staff.post(url)
    second_password = second.context["slips"][0].password
    assert second_password != first_password
    assert second_password in second.content.decode()
    assert first_password not in second.content.decode()
    assert "no-store" in second["Cache-Control"]
    pupil = Client()
    sign_in = reverse("accounts:login")
    assert pupil.post(sign_in, {"username": "pupil", "password": first_password}).status_code == 200
    response = pupil.post(sign_in, {"username": "pupil", "password": second_password})
    assert response.status_code == 302
    # Asking again for the page of slips shows no password.
    assert staff.get(url).status_code == 405


def test_pupil_import_slips_are_not_kept_by_the_browser(world):
    staff = Client()
    staff.force_login(world.co_leader)
    upload = SimpleUploadedFile("p.csv", b"first name,year group,class\nAmara,7,7B\n")
    response = staff.post(
        reverse("discussions:import_pupils", args=[world.school_a.pk]), {"file": upload}
    )
    assert response.status_code == 200 and "slip-password" in response.content.decode()
    assert "no-store" in response["Cache-Control"]
