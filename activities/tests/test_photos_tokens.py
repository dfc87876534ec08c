from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from activities import services, signin
from activities.models import ActivityPhoto

from .conftest import at, make_activity


@pytest.fixture(autouse=True)
def _private_media(settings: Any, tmp_path: Path) -> None:
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


def picture(fmt: str = "JPEG", size: tuple[int, int] = (1200, 800), mode: str = "RGB", exif: bool = False) -> bytes:
    image = Image.new(mode, size, "red" if mode == "RGB" else 0)
    buf = io.BytesIO()
    kwargs: dict[str, Any] = {}
    if exif:
        data = Image.Exif()
        data[0x010F] = "PhoneMaker"  # Make
        data[0x0112] = 6  # Orientation: rotated 90°
        kwargs["exif"] = data.tobytes()
    image.save(buf, format=fmt, **kwargs)
    return buf.getvalue()


def truncated_png() -> bytes:
    buf = io.BytesIO()
    Image.effect_noise((400, 400), 60).convert("RGB").save(buf, format="PNG")
    return buf.getvalue()[: len(buf.getvalue()) // 2]


def upload(content: bytes, name: str = "photo.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="image/jpeg")


def test_photo_is_reencoded_rotated_and_stripped(world: Any) -> None:
    activity = make_activity(world.orgs["fz-e1"])
    raw = picture(size=(1200, 800), exif=True)
    photo = services.photo_add(actor=world.users["staff_fz"], activity=activity, upload=upload(raw), size=len(raw),
                               caption="合影")
    stored = Image.open(photo.image.open("rb"))
    assert stored.format == "JPEG"
    assert (stored.width, stored.height) == (800, 1200) == (photo.width, photo.height)  # EXIF rotation applied
    assert not stored.getexif()  # maker, orientation (and any GPS position) dropped
    assert not photo.image.name.endswith("photo.jpg")  # the uploader's file name is not kept
    big = picture(fmt="PNG", size=(5000, 3000))
    photo2 = services.photo_add(actor=None, activity=activity, upload=upload(big, "a.png"), size=len(big))
    assert max(photo2.width, photo2.height) == 2560


@pytest.mark.parametrize(("content", "message"), [
    (b"<html><script>alert(1)</script></html>", "not a photo"),
    (b"GIF89a" + b"\0" * 100, "not a photo"),
    (truncated_png(), "damaged"),
])
def test_bad_photos_are_rejected_with_a_clear_message(world: Any, content: bytes, message: str) -> None:
    activity = make_activity(world.orgs["fz-e1"])
    with pytest.raises(ValidationError, match=message):
        services.photo_add(actor=None, activity=activity, upload=upload(content, "holiday.jpg"), size=len(content))
    assert not ActivityPhoto.objects.exists()


def test_oversize_and_decompression_bomb(world: Any, settings: Any) -> None:
    activity = make_activity(world.orgs["fz-e1"])
    settings.PHOTO_MAX_BYTES = 1000
    raw = picture()
    with pytest.raises(ValidationError, match="the limit is"):
        services.photo_add(actor=None, activity=activity, upload=upload(raw), size=len(raw))
    settings.PHOTO_MAX_BYTES = 8 * 1024 * 1024
    bomb = picture(fmt="PNG", size=(9000, 9000), mode="1")  # 81 megapixels in a few kilobytes
    assert len(bomb) < 100_000
    with pytest.raises(ValidationError, match="too large"):
        services.photo_add(actor=None, activity=activity, upload=upload(bomb, "x.png"), size=len(bomb))
    assert not ActivityPhoto.objects.exists()


def test_token_round_trip_forgery_expiry_and_revocation(world: Any) -> None:
    activity = make_activity(world.orgs["fz-e1"], starts=at(hours=-1))
    token = signin.make_token(activity)
    assert signin.read_token(token) == activity
    forged = token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB")
    with pytest.raises(ValidationError) as exc:
        signin.read_token(forged)
    assert exc.value.code == "forged"
    other = make_activity(world.orgs["fz-e1"], starts=at(hours=-1))
    payload_swapped = signin.make_token(other).split(":")[0] + ":" + token.split(":", 1)[1]
    with pytest.raises(ValidationError):
        signin.read_token(payload_swapped)
    with pytest.raises(ValidationError) as exc:
        signin.read_token(token, now=activity.ends_at + dt.timedelta(hours=2))
    assert exc.value.code == "expired"
    services.signin_key_rotate(actor=None, activity=activity)
    with pytest.raises(ValidationError) as exc:
        signin.read_token(token)
    assert exc.value.code == "revoked"
