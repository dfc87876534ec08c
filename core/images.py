"""Uploaded pictures: checked by their content (never by their name), bounded in bytes and pixels, and re-encoded.

Re-encoding drops whatever rode along in the original file (EXIF with GPS positions, scripts, trailing data) and
turns every accepted picture into a plain JPEG of bounded size.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass
from typing import IO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP"}


@dataclass(frozen=True)
class CleanImage:
    content: bytes
    width: int
    height: int


def reencode_image(upload: IO[bytes], size: int) -> CleanImage:
    """Validate and re-encode one uploaded picture; raise ValidationError with a message the uploader can act on."""
    if size > settings.PHOTO_MAX_BYTES:
        raise ValidationError(_("The photo is %(size)s; the limit is %(limit)s.")
                              % {"size": filesizeformat(size), "limit": filesizeformat(settings.PHOTO_MAX_BYTES)},
                              code="too_large")
    if size == 0:
        raise ValidationError(_("The file is empty."), code="empty")
    not_a_photo = ValidationError(_("This file is not a photo. Upload a JPEG, PNG or WebP picture."),
                                  code="not_an_image")
    with warnings.catch_warnings():
        # Pillow warns (rather than fails) between MAX_IMAGE_PIXELS and twice that; treat both alike.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image: Image.Image = Image.open(upload)
        except UnidentifiedImageError as exc:
            raise not_a_photo from exc
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise _too_many_pixels() from exc
        except (OSError, SyntaxError, ValueError) as exc:
            raise not_a_photo from exc
        if image.format not in ACCEPTED_FORMATS:
            raise not_a_photo
        if image.width * image.height > settings.PHOTO_MAX_PIXELS:
            raise _too_many_pixels()
        try:
            image.load()
            image = ImageOps.exif_transpose(image) or image
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise _too_many_pixels() from exc
        except (OSError, SyntaxError, ValueError) as exc:
            raise ValidationError(_("The photo is damaged and cannot be read."), code="damaged") from exc
    if image.mode != "RGB":
        image = image.convert("RGBA").convert("RGB") if "A" in image.getbands() or image.mode == "P" \
            else image.convert("RGB")
    side = settings.PHOTO_MAX_SIDE
    image.thumbnail((side, side), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=85, optimize=True)
    return CleanImage(content=out.getvalue(), width=image.width, height=image.height)


def _too_many_pixels() -> ValidationError:
    return ValidationError(_("The picture is too large (more than %(mp)d megapixels); take or export a smaller one.")
                           % {"mp": settings.PHOTO_MAX_PIXELS // 1_000_000}, code="too_many_pixels")
