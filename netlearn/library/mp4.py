"""Metadata out of MP4 and QuickTime video, in pure Python (docs: threat model, uploads).

Phones and cameras write where a video was taken into its boxes: `moov/udta/©xyz` (Android,
QuickTime), `moov/meta` keys such as com.apple.quicktime.location.ISO6709 (iPhone), XMP in
`uuid` or `XMP_` boxes, and whole GPS tracks (GoPro `gpmd`, drone subtitles) whose samples sit
in `mdat`. The file is rewritten in place, at the same length, so no chunk offset moves:

- every box that is not needed to play the video and sound becomes a `free` box of zeros
  (user data, metadata, XMP, unknown boxes, and every track that is not video or sound);
- the bytes of `mdat` that no kept video or sound sample uses are zeroed, so a removed track's
  samples (a GPS trace) and anything hidden between samples are gone too;
- creation and modification times in the movie, track and media headers are set to zero.

Files this cannot clean with certainty are refused with a message: fragmented MP4 (`moof`),
compact sample sizes (`stz2`), tables that point outside the file, or no playable track.
"""

import bisect
import struct

from django.utils.translation import gettext

from .errors import BadUpload

DAMAGED = "The video is damaged or laid out in a way that cannot be cleaned of its metadata."
FRAGMENTED = "The video is fragmented (a streaming layout); export it again as a plain MP4."
KEPT_HANDLERS = {b"vide", b"soun"}
# The boxes kept at each level; every other box there becomes zeros.
KEPT_TOP = {b"ftyp", b"moov", b"mdat"}
KEPT_IN = {
    b"moov": {b"mvhd", b"trak", b"iods"},
    b"trak": {b"tkhd", b"mdia", b"edts", b"tapt"},
    b"edts": {b"elst"},
    b"mdia": {b"mdhd", b"hdlr", b"minf"},
    b"minf": {b"vmhd", b"smhd", b"hdlr", b"dinf", b"stbl"},
    b"dinf": {b"dref"},
    b"stbl": {
        b"stsd",
        b"stts",
        b"ctts",
        b"cslg",
        b"stss",
        b"stps",
        b"stsc",
        b"stsz",
        b"stco",
        b"co64",
        b"sdtp",
        b"sbgp",
        b"sgpd",
    },
}
# Headers whose creation and modification times are zeroed (ISO 14496-12 8.2.2, 8.3.2, 8.4.2).
TIMED_HEADERS = {b"mvhd", b"tkhd", b"mdhd"}
# Far beyond a school's video (ten minutes at 30 frames a second is 18,000 samples), and small
# enough that a crafted table cannot make the cleaning hold much memory.
MAX_SAMPLES = 500_000
MAX_BOXES = 10_000


class _Box:
    __slots__ = ("kind", "start", "header", "end")

    def __init__(self, kind: bytes, start: int, header: int, end: int):
        self.kind, self.start, self.header, self.end = kind, start, header, end

    @property
    def body(self) -> int:
        return self.start + self.header


def _boxes(data, start: int, end: int, *, top: bool = False) -> list[_Box]:
    boxes = []
    position = start
    while position < end:
        if end - position < 8:
            raise BadUpload(DAMAGED)
        size, kind = struct.unpack_from(">I4s", data, position)
        header = 8
        if size == 1:
            if end - position < 16:
                raise BadUpload(DAMAGED)
            size = struct.unpack_from(">Q", data, position + 8)[0]
            header = 16
        elif size == 0:
            if not top:
                raise BadUpload(DAMAGED)
            size = end - position
        if size < header or position + size > end:
            raise BadUpload(DAMAGED)
        boxes.append(_Box(kind, position, header, position + size))
        if len(boxes) > MAX_BOXES:
            raise BadUpload(DAMAGED)
        position += size
    return boxes


def _blank(out: bytearray, box: _Box) -> None:
    out[box.start + 4 : box.start + 8] = b"free"
    out[box.body : box.end] = bytes(box.end - box.body)


def _child(data, box: _Box, kind: bytes) -> _Box | None:
    return next((child for child in _boxes(data, box.body, box.end) if child.kind == kind), None)


def _handler(data, trak: _Box) -> bytes:
    mdia = _child(data, trak, b"mdia")
    hdlr = _child(data, mdia, b"hdlr") if mdia else None
    if hdlr is None or hdlr.end - hdlr.body < 12:
        return b""
    return bytes(data[hdlr.body + 8 : hdlr.body + 12])


def _full_box(data, box: _Box, fmt: str, offset: int = 0):
    try:
        return struct.unpack_from(fmt, data, box.body + 4 + offset)
    except struct.error:
        raise BadUpload(DAMAGED) from None


def _sample_ranges(data, stbl: _Box) -> list[tuple[int, int]]:
    """The (start, end) byte ranges of every sample of one track (ISO 14496-12 8.7)."""
    tables = {box.kind: box for box in _boxes(data, stbl.body, stbl.end)}
    if b"stz2" in tables:
        raise BadUpload(DAMAGED)
    if b"stsz" not in tables or b"stsc" not in tables:
        raise BadUpload(DAMAGED)
    if b"stco" in tables:
        (count,) = _full_box(data, tables[b"stco"], ">I")
        fmt, box = ">I", tables[b"stco"]
        width = 4
    elif b"co64" in tables:
        (count,) = _full_box(data, tables[b"co64"], ">I")
        fmt, box, width = ">Q", tables[b"co64"], 8
    else:
        raise BadUpload(DAMAGED)
    if count > MAX_SAMPLES or box.body + 8 + count * width > box.end:
        raise BadUpload(DAMAGED)
    offsets = [struct.unpack_from(fmt, data, box.body + 8 + i * width)[0] for i in range(count)]

    uniform, sample_count = _full_box(data, tables[b"stsz"], ">II")
    stsz = tables[b"stsz"]
    if sample_count > MAX_SAMPLES:
        raise BadUpload(DAMAGED)
    if uniform:
        sizes = [uniform] * sample_count
    else:
        if stsz.body + 12 + sample_count * 4 > stsz.end:
            raise BadUpload(DAMAGED)
        sizes = list(struct.unpack_from(f">{sample_count}I", data, stsz.body + 12))

    stsc = tables[b"stsc"]
    (runs,) = _full_box(data, stsc, ">I")
    if runs > MAX_SAMPLES or stsc.body + 8 + runs * 12 > stsc.end:
        raise BadUpload(DAMAGED)
    entries = [struct.unpack_from(">III", data, stsc.body + 8 + i * 12) for i in range(runs)]

    ranges = []
    sample = 0
    for index, (first_chunk, per_chunk, _description) in enumerate(entries):
        last_chunk = entries[index + 1][0] - 1 if index + 1 < len(entries) else count
        if first_chunk < 1 or last_chunk > count:
            raise BadUpload(DAMAGED)
        for chunk in range(first_chunk, last_chunk + 1):
            position = offsets[chunk - 1]
            for _ in range(per_chunk):
                if sample >= sample_count:
                    raise BadUpload(DAMAGED)
                ranges.append((position, position + sizes[sample]))
                position += sizes[sample]
                sample += 1
    if sample != sample_count:
        raise BadUpload(DAMAGED)
    return ranges


def _clean_level(data, out: bytearray, parent: _Box, kept_tracks: list) -> None:
    kept = KEPT_IN.get(parent.kind, set())
    for box in _boxes(data, parent.body, parent.end):
        if box.kind == b"trak":
            if _handler(data, box) in KEPT_HANDLERS:
                kept_tracks.append(box)
                _clean_level(data, out, box, kept_tracks)
            else:
                _blank(out, box)
        elif box.kind == b"mvex":
            raise BadUpload(FRAGMENTED)
        elif box.kind not in kept:
            _blank(out, box)
        elif box.kind in KEPT_IN:
            _clean_level(data, out, box, kept_tracks)
        elif box.kind in TIMED_HEADERS:
            (version,) = _full_box(data, box, ">B", -4)
            width = 16 if version == 1 else 8
            if box.end - box.body < 4 + width:
                raise BadUpload(DAMAGED)
            out[box.body + 4 : box.body + 4 + width] = bytes(width)


def without_metadata(data: bytes) -> bytes:
    """The video with no metadata, at the same length; raises BadUpload if it cannot be cleaned."""
    out = bytearray(data)
    top = _boxes(data, 0, len(data), top=True)
    if any(box.kind == b"moof" for box in top):
        raise BadUpload(FRAGMENTED)
    moovs = [box for box in top if box.kind == b"moov"]
    if len(moovs) != 1:
        raise BadUpload(DAMAGED)
    for box in top:
        if box.kind not in KEPT_TOP:
            _blank(out, box)
    kept_tracks: list[_Box] = []
    _clean_level(data, out, moovs[0], kept_tracks)
    if not kept_tracks:
        raise BadUpload(gettext("The file holds no video or sound to keep."))
    used = []
    for trak in kept_tracks:
        used.extend(_sample_ranges(data, _stbl(data, trak)))
        if len(used) > MAX_SAMPLES:
            raise BadUpload(DAMAGED)
    used.sort()
    for mdat in (box for box in top if box.kind == b"mdat"):
        position = mdat.body
        for start, end in used:
            if end <= position or start >= mdat.end:
                continue
            if start > position:
                out[position:start] = bytes(start - position)
            position = max(position, end)
        if position < mdat.end:
            out[position : mdat.end] = bytes(mdat.end - position)
    mdats = [(box.body, box.end) for box in top if box.kind == b"mdat"]
    bodies = [body for body, _ in mdats]
    for start, end in used:
        index = bisect.bisect_right(bodies, start) - 1
        if index < 0 or end > mdats[index][1]:
            # A sample outside every mdat (in a box that was just zeroed, or past the end).
            raise BadUpload(DAMAGED)
    return bytes(out)


def _stbl(data, trak: _Box) -> _Box:
    mdia = _child(data, trak, b"mdia")
    minf = _child(data, mdia, b"minf") if mdia else None
    stbl = _child(data, minf, b"stbl") if minf else None
    if stbl is None:
        raise BadUpload(DAMAGED)
    return stbl
