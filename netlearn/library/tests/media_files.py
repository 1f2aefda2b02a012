"""Real images and videos carrying location and other metadata, made in the test: Pillow for
JPEG, PNG, animated PNG and GIF; PyAV (FFmpeg's muxers) for MP4 and QuickTime video."""

import io
import struct
from fractions import Fraction

import av
import numpy as np
from PIL import ExifTags, Image, PngImagePlugin

MARK = b"SECRET-PLACE"
LATITUDE = b"+51.5072"
XMP = (
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-'
    b'syntax-ns#"><rdf:Description xmlns:exif="http://ns.adobe.com/exif/1.0/" '
    b'exif:GPSLatitude="51,30.43N">' + MARK + b"</rdf:Description></rdf:RDF></x:xmpmeta>"
)


def exif_with_location(*, orientation: int | None = None) -> Image.Exif:
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "PhoneMaker"
    exif[ExifTags.Base.ImageDescription] = MARK.decode()
    if orientation:
        exif[ExifTags.Base.Orientation] = orientation
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (51.0, 30.0, 26.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "W"
    gps[ExifTags.GPS.GPSLongitude] = (0.0, 7.0, 39.0)
    return exif


def has_location(data: bytes) -> bool:
    with Image.open(io.BytesIO(data)) as image:
        return bool(image.getexif().get_ifd(ExifTags.IFD.GPSInfo))


def jpeg() -> bytes:
    """A 40×30 photo taken on its side (orientation 6), with GPS, a comment and XMP."""
    out = io.BytesIO()
    Image.new("RGB", (40, 30), "red").save(
        out, format="JPEG", exif=exif_with_location(orientation=6), comment=MARK, xmp=XMP
    )
    return out.getvalue()


def png() -> bytes:
    """With an eXIf chunk (GPS), text, compressed text and XMP (iTXt) chunks."""
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", MARK.decode())
    info.add_text("Location", MARK.decode(), zip=True)
    info.add_itxt("XML:com.adobe.xmp", XMP.decode())
    out = io.BytesIO()
    Image.new("RGBA", (40, 30), (0, 0, 255, 128)).save(
        out, format="PNG", pnginfo=info, exif=exif_with_location()
    )
    return out.getvalue()


def animated_png() -> bytes:
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", MARK.decode())
    frames = [Image.new("RGB", (20, 20), colour) for colour in ("red", "green", "blue")]
    out = io.BytesIO()
    frames[0].save(
        out,
        format="PNG",
        save_all=True,
        append_images=frames[1:],
        duration=200,
        pnginfo=info,
        exif=exif_with_location(),
    )
    return out.getvalue()


def _xmp_extension() -> bytes:
    # The XMP application extension: raw packet, then the 258-byte "magic trailer" (XMP spec
    # part 3, 1.1.2), then the block terminator.
    return b"\x21\xff\x0bXMP DataXMP" + XMP + bytes([1, *range(255, -1, -1)]) + b"\x00"


def gif() -> bytes:
    """An animated GIF with a comment extension and an XMP application extension."""
    frames = [Image.new("P", (20, 20), index) for index in (1, 2, 3)]
    for frame in frames:
        frame.putpalette([0, 0, 0, 255, 0, 0, 0, 255, 0, 0, 0, 255] + [0] * 756)
    out = io.BytesIO()
    frames[0].save(
        out, format="GIF", save_all=True, append_images=frames[1:], duration=150, loop=0,
        comment=MARK,
    )  # fmt: skip
    data = out.getvalue()
    flags = data[10]
    table = 3 * 2 ** ((flags & 7) + 1) if flags & 0x80 else 0
    position = 13 + table
    return data[:position] + _xmp_extension() + data[position:]


def _frames(container, *, audio: bool) -> None:
    video = container.add_stream("mpeg4", rate=10)
    video.width, video.height, video.pix_fmt = 64, 48, "yuv420p"
    sound = container.add_stream("aac", rate=8000) if audio else None
    for index in range(10):
        picture = np.full((48, 64, 3), index * 20, np.uint8)
        for packet in video.encode(av.VideoFrame.from_ndarray(picture, format="rgb24")):
            container.mux(packet)
    if sound is not None:
        for index in range(10):
            samples = np.full((1, 1024), 0.1, np.float32)
            frame = av.AudioFrame.from_ndarray(samples, format="fltp", layout="mono")
            frame.sample_rate, frame.pts, frame.time_base = 8000, index * 1024, Fraction(1, 8000)
            for packet in sound.encode(frame):
                container.mux(packet)
    for stream in (video, sound):
        if stream is not None:
            for packet in stream.encode():
                container.mux(packet)


def video(*, form: str = "mov", audio: bool = True, options=None) -> bytes:
    """Ten frames of video (and sound), carrying a location: "mov" writes a ©xyz atom in
    moov/udta, "mp4" a 3GPP loci box; options={"movflags": "use_metadata_tags"} writes
    iPhone-style keys in moov/meta."""
    out = io.BytesIO()
    with av.open(out, "w", format=form, options=options or {}) as container:
        container.metadata["location"] = "+51.5072-000.1276/"
        container.metadata["comment"] = MARK.decode()
        container.metadata["title"] = MARK.decode()
        if options and "use_metadata_tags" in options.get("movflags", ""):
            container.metadata["com.apple.quicktime.location.ISO6709"] = "+51.5072-000.1276/"
        _frames(container, audio=audio)
    return out.getvalue()


def streams(data: bytes) -> dict[str, int]:
    """How many frames each stream decodes to: the cleaned video still plays."""
    decoded: dict[str, int] = {}
    with av.open(io.BytesIO(data)) as container:
        for frame in container.decode(*container.streams):
            kind = "video" if isinstance(frame, av.VideoFrame) else "audio"
            decoded[kind] = decoded.get(kind, 0) + 1
    return decoded


def _find_box(data: bytes, path: list[bytes], start: int = 0, end: int | None = None):
    end = len(data) if end is None else end
    position = start
    while position < end:
        size, kind = struct.unpack_from(">I4s", data, position)
        if kind == path[0]:
            if len(path) == 1:
                return position, size
            return _find_box(data, path[1:], position + 8, position + size)
        position += size
    return None


def with_a_gps_track(data: bytes) -> bytes:
    """The video with its sound track turned into a timed metadata track (as a GoPro's GPS
    `gpmd` or an iPhone's `mebx` track), whose first sample holds a location."""
    data = bytearray(data)
    traks = []
    position, size = _find_box(bytes(data), [b"moov"])
    inner = position + 8
    while inner < position + size:
        box_size, kind = struct.unpack_from(">I4s", data, inner)
        if kind == b"trak":
            traks.append((inner, box_size))
        inner += box_size
    sound_trak = traks[1]
    hdlr, _ = _find_box(bytes(data), [b"mdia", b"hdlr"], sound_trak[0] + 8, sum(sound_trak))
    data[hdlr + 16 : hdlr + 20] = b"meta"
    stco, _ = _find_box(
        bytes(data), [b"mdia", b"minf", b"stbl", b"stco"], sound_trak[0] + 8, sum(sound_trak)
    )
    first_chunk = struct.unpack_from(">I", data, stco + 16)[0]
    data[first_chunk : first_chunk + len(MARK)] = MARK
    return bytes(data)


def mp3() -> bytes:
    """Real MPEG audio (FFmpeg's mp3 encoder, if the wheel has one; else MP2 frames, which MP3
    readers take too) wrapped in an ID3v2 tag with a comment and an ID3v1 tag."""
    out = io.BytesIO()
    with av.open(out, "w", format="mp3") as container:
        container.metadata["comment"] = MARK.decode()
        container.metadata["title"] = MARK.decode()
        try:
            stream = container.add_stream("libmp3lame", rate=44100)
        except (ValueError, av.error.FFmpegError):
            stream = container.add_stream("mp2", rate=44100)
        stream.layout = "mono"
        for index in range(20):
            samples = np.full((1, 1152), 0.1, np.float32 if "lame" in stream.name else np.int16)
            frame = av.AudioFrame.from_ndarray(
                samples, format="fltp" if "lame" in stream.name else "s16p", layout="mono"
            )
            frame.sample_rate, frame.pts, frame.time_base = 44100, index * 1152, Fraction(1, 44100)
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    return out.getvalue() + b"TAG" + MARK.ljust(30, b" ") + bytes(95)
