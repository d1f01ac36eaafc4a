"""Production's static storage: hashed names, and third-party stylesheets' broken references tolerated."""

from config.storage import StaticStorage


def test_a_reference_to_a_missing_file_is_left_as_written_and_others_are_hashed(tmp_path):
    (tmp_path / "css").mkdir()
    (tmp_path / "css" / "print.css").write_text("h1 { color: red; }")
    storage = StaticStorage(location=tmp_path, base_url="/static/")
    assert storage.hashed_name("fonts/shipped-by-nobody.woff2") == "fonts/shipped-by-nobody.woff2"
    hashed = storage.hashed_name("css/print.css")
    assert hashed.startswith("css/print.") and hashed.endswith(".css") and hashed != "css/print.css"
