from __future__ import annotations

from app.mail.headers import header_message_id, message_key, sender_metadata
from app.mail.message import parse
from tests.app.mail.messages import mail


def test_the_key_is_the_message_id_or_a_hash_of_the_raw_message() -> None:
    assert message_key("<a@b>") == "<a@b>"
    assert message_key(None, b"raw") == message_key("", b"raw")
    assert message_key(None, b"raw").startswith("sha256:")
    assert message_key("<" + "x" * 300 + ">").startswith("mid-sha256:")


def test_the_message_id_is_read_from_the_headers_alone() -> None:
    assert header_message_id(b"Subject: x\r\nMessage-ID:  <1@x>\r\n\r\n") == "<1@x>"
    assert header_message_id(b"Subject: x\r\n\r\n") is None


def test_verdicts_come_from_the_topmost_authentication_results_only() -> None:
    message = mail(headers={"Authentication-Results": "mx; SPF=softfail; dkim=none; dmarc=none (p=none)"})
    message["Authentication-Results"] = "forged; spf=pass; dkim=pass; dmarc=pass"

    metadata = sender_metadata(parse(message.as_bytes()))

    assert metadata["authentication"] == {"spf": "softfail", "dkim": "none", "dmarc": "none"}


def test_a_message_without_headers_has_empty_metadata() -> None:
    metadata = sender_metadata(parse(b"\r\nbody"))

    assert metadata["from"] is None
    assert metadata["date"] is None
    assert metadata["authentication"] == {}


def test_an_unparseable_date_is_kept_as_written() -> None:
    metadata = sender_metadata(parse(b"Date: gestern abend\r\n\r\nbody"))

    assert metadata["date"] == "gestern abend"
