"""Checking and preparing uploaded activity photos and attachments.

Photos come from phones: often 4–12 MB, HEIC from iPhones, rotated by an EXIF
tag. The real type is read by Pillow from the file's content (never the name);
each photo is stored as a JPEG of at most 1600 px on its longest side with its
orientation applied, so a ledger of a year stays small and shows the right way up.
Attachments are PDF or Word documents, recognised by their first bytes.
"""

import uuid
import warnings
import zipfile
from io import BytesIO
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

try:  # HEIC/HEIF photos from iPhones
    import pillow_heif

    pillow_heif.register_heif_opener()
except ImportError:  # pragma: no cover - pillow_heif is in requirements.txt
    pillow_heif = None

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_SIDE = 1600
# A 17 KB PNG can claim 12,000 × 12,000 pixels and take a gigabyte to decode: the size is
# read from the header (Image.open decodes nothing) and refused above this; Pillow's own
# DecompressionBombWarning (above MAX_IMAGE_PIXELS) is an error here, not a log line.
MAX_PIXELS = 50_000_000
Image.MAX_IMAGE_PIXELS = MAX_PIXELS
JPEG_QUALITY = 85
PHOTO_FORMATS = {"JPEG", "PNG", "HEIF", "HEIC"}

PDF_MAGIC = b"%PDF-"
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .doc (Word 97–2003)
ZIP_MAGIC = b"PK\x03\x04"  # .docx


def _size_error(upload):
    return ValidationError(
        _("“%(name)s”超过10MB，请压缩后再上传。") % {"name": upload.name},
        code="too_large",
    )


def check_photo(upload) -> None:
    """Refuse a file that is too large or not a JPEG, PNG or HEIC image (read from its content)."""
    if upload.size > MAX_UPLOAD_BYTES:
        raise _size_error(upload)
    upload.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload) as image:
                kind, (width, height) = image.format, image.size
    except (Image.DecompressionBombWarning, Image.DecompressionBombError):
        kind, width, height = "too_many_pixels", MAX_PIXELS, MAX_PIXELS
    except (UnidentifiedImageError, OSError, ValueError):
        kind, width, height = None, 0, 0
    finally:
        upload.seek(0)
    if kind is not None and width * height > MAX_PIXELS:
        raise ValidationError(
            _("“%(name)s”的像素过多（超过5000万像素），请缩小后再上传。") % {"name": upload.name},
            code="too_many_pixels",
        )
    if kind not in PHOTO_FORMATS:
        raise ValidationError(
            _("“%(name)s”不是JPEG、PNG或HEIC格式的照片，请重新选择。") % {"name": upload.name},
            code="not_a_photo",
        )


def prepare_photo(upload) -> ContentFile:
    """The photo as a JPEG, orientation applied, longest side at most 1600 px.

    Raises ValidationError for anything `check_photo` refuses, or a photo that
    cannot be decoded.
    """
    check_photo(upload)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload) as image:
                image = ImageOps.exif_transpose(image)
                if image.mode in ("RGBA", "LA", "P"):
                    image = image.convert("RGBA")
                    background = Image.new("RGB", image.size, "white")
                    background.paste(image, mask=image.getchannel("A"))
                    image = background
                elif image.mode != "RGB":
                    image = image.convert("RGB")
                image.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
                out = BytesIO()
                image.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True)
    except (OSError, ValueError, Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise ValidationError(
            _("“%(name)s”无法读取，文件可能已损坏。") % {"name": upload.name},
            code="unreadable",
        ) from error
    finally:
        upload.seek(0)
    return ContentFile(out.getvalue(), name=f"{uuid.uuid4().hex}.jpg")


def _is_docx(upload) -> bool:
    try:
        with zipfile.ZipFile(upload) as archive:
            return "word/document.xml" in archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return False
    finally:
        upload.seek(0)


def check_attachment(upload) -> str:
    """Refuse anything but a PDF or Word document of at most 10 MB; return its extension.

    The extension must agree with the file's first bytes (a renamed file is refused).
    """
    if upload.size > MAX_UPLOAD_BYTES:
        raise _size_error(upload)
    suffix = PurePath(upload.name or "").suffix.lower()
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    valid = (
        (suffix == ".pdf" and head.startswith(PDF_MAGIC))
        or (suffix == ".doc" and head.startswith(OLE2_MAGIC))
        or (suffix == ".docx" and head.startswith(ZIP_MAGIC) and _is_docx(upload))
    )
    if not valid:
        raise ValidationError(
            _("“%(name)s”不是PDF或Word文件（.pdf、.doc、.docx），请重新选择。") % {"name": upload.name},
            code="not_a_document",
        )
    return suffix


def shortened_name(name: str, limit: int = 200) -> str:
    """The file's own name (no folders) within `limit` characters, its extension kept."""
    path = PurePath(name or "")
    if len(path.name) <= limit:
        return path.name
    suffix = path.suffix[:20]
    return path.stem[: limit - len(suffix)] + suffix


def attachment_file(upload) -> ContentFile:
    """The checked document under a random stored name (the original name is kept on the row)."""
    suffix = check_attachment(upload)
    upload.seek(0)
    return ContentFile(upload.read(), name=f"{uuid.uuid4().hex}{suffix}")
