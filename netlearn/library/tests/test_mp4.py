"""The MP4 cleaner on damaged and crafted files: it cleans or refuses with a message, and never
fails any other way (library/mp4.py)."""

import struct

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from netlearn.library import mp4
from netlearn.library.errors import BadUpload

from . import media_files

VIDEO = media_files.video(form="mov")


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.tuples(st.integers(0, len(VIDEO) - 1), st.integers(0, 255)), min_size=1, max_size=8)
)
def test_a_damaged_video_is_cleaned_or_refused(changes):
    data = bytearray(VIDEO)
    for position, value in changes:
        data[position] = value
    try:
        cleaned = mp4.without_metadata(bytes(data))
    except BadUpload:
        return
    assert len(cleaned) == len(data) and media_files.MARK not in cleaned


@given(st.binary(max_size=2000))
def test_random_bytes_are_refused_or_cleaned(data):
    try:
        mp4.without_metadata(b"\x00\x00\x00\x10ftypisom\x00\x00\x00\x00" + data)
    except BadUpload:
        pass


def test_a_sample_table_pointing_outside_the_file_is_refused():
    data = bytearray(VIDEO)
    stco = data.index(b"stco")
    struct.pack_into(">I", data, stco + 12, len(data) + 100)  # the first chunk's offset
    with pytest.raises(BadUpload, match="damaged"):
        mp4.without_metadata(bytes(data))


def test_a_still_image_in_an_iso_box_file_is_refused():
    # HEIF/AVIF photos start like MP4 (ftyp) but keep their EXIF in items, with no moov.
    data = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00\x00\x00\x10meta" + bytes(8)
    with pytest.raises(BadUpload):
        mp4.without_metadata(data)
