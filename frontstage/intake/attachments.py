"""Screenshots from the public, made safe to keep and show: the type is read from the bytes,
the file must end where the image ends, the pixel count is checked before anything is
decoded, and what is kept is a fresh PNG or JPEG of the pixels alone, without EXIF, GPS, XMP,
ICC profiles or comments.

Colours of images tagged with a wide-gamut profile (Display P3) shift a little once the
profile is dropped; the content stays legible, which is what evidence needs.
"""

import hashlib
import io
import struct
from dataclasses import dataclass
from typing import NamedTuple

from django.utils.translation import gettext as _
from PIL import Image, ImageOps

MAX_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000
MAX_FILES = 5  # per report; enforced by the form and the API
JPEG_QUALITY = 85
PNG = "image/png"
JPEG = "image/jpeg"


@dataclass(frozen=True)
class CleanImage:
    """A re-encoded image; `sha256` is of `content`, `original_sha256` of the bytes received."""

    content: bytes
    content_type: str
    width: int
    height: int
    sha256: str
    original_sha256: str


class AttachmentRefused(ValueError):
    """The file is not kept; `str(error)` tells the reporter why and what to do instead."""


class _Layout(NamedTuple):
    end: int  # offset just past the image's end marker
    width: int
    height: int


class _Damaged(Exception):
    pass


def clean_image(data: bytes, *, filename: str = "") -> CleanImage:
    """`data` as a PNG (images with transparency or a palette, and the first frame of an
    animation) or a JPEG (everything else), turned upright by its EXIF orientation and
    stripped of all metadata. `filename` is used only to name the file in messages: the type
    is sniffed from the content. Raises AttachmentRefused."""
    name = _named(filename)
    if len(data) > MAX_BYTES:
        raise AttachmentRefused(
            _("%(name)s is %(size)s MB; the limit is %(limit)s MB. Crop it or save it as JPEG.")
            % {"name": name, "size": f"{len(data) / 2**20:.1f}", "limit": MAX_BYTES // 2**20}
        )
    image_format = _sniff(data)
    if image_format is None:
        raise AttachmentRefused(
            _(
                "%(name)s is not a PNG, JPEG, WebP or GIF image. Attach screenshots or photos "
                "in one of these formats."
            )
            % {"name": name}
        )
    try:
        layout = _WALKERS[image_format](data)
    except (_Damaged, IndexError, ValueError, struct.error):
        raise _damaged(name) from None
    _check_pixels(layout.width, layout.height, name)
    if not _nothing_after(data[layout.end :], image_format):
        raise AttachmentRefused(
            _(
                "%(name)s has other data hidden after the end of the image. Take a screenshot "
                "of it, or export it as a still image."
            )
            % {"name": name}
        )
    content, content_type, size = _reencode(data, image_format, name)
    return CleanImage(
        content=content,
        content_type=content_type,
        width=size[0],
        height=size[1],
        sha256=hashlib.sha256(content).hexdigest(),
        original_sha256=hashlib.sha256(data).hexdigest(),
    )


def _sniff(data: bytes) -> str | None:
    """Pillow's format name for the magic bytes at the start of `data`, if accepted."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if data.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if data.startswith((b"GIF87a", b"GIF89a")):
        return "GIF"
    if data.startswith(b"RIFF") and data[8:12] == b"WEBP":
        return "WEBP"
    return None


def _png(data: bytes) -> _Layout:
    pos, size = 8, (0, 0)
    while True:
        length, chunk = struct.unpack_from(">I4s", data, pos)
        end = pos + 12 + length
        if end > len(data) or (pos == 8) != (chunk == b"IHDR"):
            raise _Damaged
        if chunk == b"IHDR":
            size = struct.unpack_from(">II", data, pos + 8)
        if chunk == b"IEND":
            return _Layout(end, *size)
        pos = end


_JPEG_FRAMES = {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}


def _jpeg(data: bytes) -> _Layout:
    pos, size = 2, (0, 0)
    while True:
        if data[pos] != 0xFF:
            raise _Damaged
        marker = data[pos + 1]
        pos += 1 if marker == 0xFF else 2  # 0xFF fill bytes may precede a marker
        if marker == 0xFF or 0xD0 <= marker <= 0xD7 or marker == 0x01:
            continue
        if marker == 0xD9:  # end of image
            return _Layout(pos, *size)
        (length,) = struct.unpack_from(">H", data, pos)
        if length < 2:
            raise _Damaged
        if marker in _JPEG_FRAMES and size == (0, 0):
            height, width = struct.unpack_from(">HH", data, pos + 3)
            size = (width, height)
        pos += length
        if marker == 0xDA:  # start of scan: entropy-coded data runs to the next marker
            pos = _after_scan(data, pos)


def _after_scan(data: bytes, pos: int) -> int:
    while True:
        pos = data.index(b"\xff", pos)  # ValueError when the scan never ends: truncated
        following = data[pos + 1]
        if following == 0x00 or 0xD0 <= following <= 0xD7:  # stuffed byte or restart marker
            pos += 2
        elif following == 0xFF:
            pos += 1
        else:
            return pos


def _gif(data: bytes) -> _Layout:
    width, height, flags = struct.unpack_from("<HHB", data, 6)
    pos = 13 + (3 << ((flags & 7) + 1) if flags & 0x80 else 0)
    while True:
        block = data[pos]
        if block == 0x3B:  # trailer
            return _Layout(pos + 1, width, height)
        if block == 0x21:  # extension: label, then sub-blocks
            pos = _after_sub_blocks(data, pos + 2)
        elif block == 0x2C:  # image: descriptor, colour table, LZW code size, sub-blocks
            frame_width, frame_height, flags = struct.unpack_from("<HHB", data, pos + 5)
            width, height = max(width, frame_width), max(height, frame_height)
            pos += 10 + (3 << ((flags & 7) + 1) if flags & 0x80 else 0)
            pos = _after_sub_blocks(data, pos + 1)
        else:
            raise _Damaged


def _after_sub_blocks(data: bytes, pos: int) -> int:
    while data[pos]:
        pos += 1 + data[pos]
    return pos + 1


def _webp(data: bytes) -> _Layout:
    (riff_size,) = struct.unpack_from("<I", data, 4)
    end = 8 + riff_size
    chunk = data[12:16]
    if end > len(data):
        raise _Damaged
    if chunk == b"VP8X":
        width = 1 + int.from_bytes(data[24:27], "little")
        height = 1 + int.from_bytes(data[27:30], "little")
    elif chunk == b"VP8L":
        (bits,) = struct.unpack_from("<I", data, 21)
        width, height = 1 + (bits & 0x3FFF), 1 + (bits >> 14 & 0x3FFF)
    elif chunk == b"VP8 ":
        width, height = (v & 0x3FFF for v in struct.unpack_from("<HH", data, 26))
    else:
        raise _Damaged
    return _Layout(end, width, height)


_WALKERS = {"PNG": _png, "JPEG": _jpeg, "GIF": _gif, "WEBP": _webp}


def _nothing_after(tail: bytes, image_format: str) -> bool:
    """Only zero padding follows the image, or, for JPEG, more whole JPEGs: phones append
    depth and HDR gain maps that way (Multi-Picture Format)."""
    while image_format == "JPEG" and tail.startswith(b"\xff\xd8\xff"):
        try:
            tail = tail[_jpeg(tail).end :]
        except (_Damaged, IndexError, ValueError, struct.error):
            return False
    return not tail.strip(b"\0")


def _check_pixels(width: int, height: int, name: str) -> None:
    if width < 1 or height < 1:
        raise _damaged(name)
    if width * height > MAX_PIXELS:
        raise AttachmentRefused(
            _(
                "%(name)s is %(width)s × %(height)s pixels; the limit is %(limit)s megapixels. "
                "Crop or shrink it."
            )
            % {"name": name, "width": width, "height": height, "limit": MAX_PIXELS // 10**6}
        )


def _reencode(data: bytes, image_format: str, name: str) -> tuple[bytes, str, tuple[int, int]]:
    try:
        with Image.open(io.BytesIO(data), formats=[image_format]) as opened:
            _check_pixels(opened.width, opened.height, name)
            opened.seek(0)  # the first frame of an animation
            opened.load()
            upright = ImageOps.exif_transpose(opened)
        pixels, output_format = _pixels_only(upright)
        buffer = io.BytesIO()
        if output_format == "JPEG":
            # 4:4:4 chroma: subsampling smears the coloured text screenshots are made of.
            pixels.save(buffer, "JPEG", quality=JPEG_QUALITY, subsampling=0)
        else:
            pixels.save(buffer, "PNG")
    except AttachmentRefused:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        # The headers were checked already, so the decoder found more pixels than they declare.
        raise _damaged(name) from None
    except Exception:  # a crafted file can make a decoder raise anything at all
        raise _damaged(name) from None
    return buffer.getvalue(), PNG if output_format == "PNG" else JPEG, pixels.size


def _pixels_only(image: Image.Image) -> tuple[Image.Image, str]:
    """A new image holding only `image`'s pixels (and palette), so that no metadata of the
    original can reach the encoder, and the format to write it in."""
    if "transparency" in image.info or image.mode not in ("1", "L", "P", "RGB", "RGBA", "CMYK"):
        image = image.convert("RGBA")
    elif image.mode == "CMYK":
        image = image.convert("RGB")
    pixels = Image.frombytes(image.mode, image.size, image.tobytes())
    if image.mode == "P":
        pixels.putpalette(image.getpalette() or [])
    return pixels, "JPEG" if image.mode in ("L", "RGB") else "PNG"


def _named(filename: str) -> str:
    """How messages name the file: its quoted base name, short, or "This file"."""
    base = filename.replace("\\", "/").rsplit("/", 1)[-1].strip()
    if not base:
        return _("This file")
    return "“" + (base if len(base) <= 60 else base[:59] + "…") + "”"


def _damaged(name: str) -> AttachmentRefused:
    return AttachmentRefused(
        _("%(name)s is damaged or incomplete. Save it again or take a new screenshot.")
        % {"name": name}
    )
