"""HEAD answers: a GET's headers, no body (the server no longer has to drop one)."""

import io

from django.http import FileResponse, HttpResponse

from restoration_site.middleware import HeadWithoutBodyMiddleware


def answer(rf, method: str, response):
    return HeadWithoutBodyMiddleware(lambda request: response)(getattr(rf, method)("/page/"))


def test_a_head_answer_keeps_the_gets_length_and_drops_the_body(rf):
    page = HttpResponse(b"<p>Hello</p>")
    page["Content-Length"] = "12"
    response = answer(rf, "head", page)
    assert (response.content, response["Content-Length"]) == (b"", "12")


def test_a_head_answer_to_a_streamed_file_streams_nothing(rf):
    response = answer(rf, "head", FileResponse(io.BytesIO(b"photo bytes")))
    assert b"".join(response.streaming_content) == b""


def test_a_get_answer_keeps_its_body(rf):
    assert answer(rf, "get", HttpResponse(b"<p>Hello</p>")).content == b"<p>Hello</p>"
