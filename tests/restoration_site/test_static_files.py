import json

from django.templatetags.static import static


def test_static_urls_resolve_to_content_hashed_names_through_the_manifest(collected_static):
    manifest = json.loads((collected_static / "staticfiles.json").read_text())
    assert static("css/site.css") == "/static/" + manifest["paths"]["css/site.css"]
    assert static("css/site.css") != "/static/css/site.css"


def test_collected_static_files_are_precompressed(collected_static):
    hashed = static("css/site.css").removeprefix("/static/")
    assert (collected_static / hashed).exists()
    assert (collected_static / f"{hashed}.gz").exists()
    assert (collected_static / f"{hashed}.br").exists()


def test_hashed_static_files_are_served_with_far_future_cache_headers(client):
    response = client.get(static("css/site.css"))
    assert response.status_code == 200
    assert "max-age=315360000" in response["Cache-Control"]
    assert "immutable" in response["Cache-Control"]


def test_static_files_are_served_compressed_to_browsers_that_accept_it(client):
    response = client.get(static("css/site.css"), headers={"Accept-Encoding": "gzip, br"})
    assert response["Content-Encoding"] == "br"
