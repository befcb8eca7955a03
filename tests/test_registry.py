import hashlib
import shutil

import pytest

from cybercult.data import registry
from cybercult.data._paths import raw_dir
from cybercult.errors import DataIntegrityError, UnknownVariableError


def test_every_registered_file_exists_and_hashes_match_independently():
    for s in registry._registry().values():
        for rel, sha in s.files:
            data = (raw_dir() / rel).read_bytes()
            assert hashlib.sha256(data).hexdigest() == sha, rel


def test_every_bundled_file_is_registered():
    registered = {rel for s in registry._registry().values() for rel, _ in s.files}
    on_disk = {str(p.relative_to(raw_dir())) for p in raw_dir().rglob("*") if p.is_file()}
    assert on_disk == registered


def test_list_sources_has_provenance_fields():
    t = registry.list_sources()
    assert {"gci2020", "hofstede", "sipri", "wvs"} <= set(t["source"])
    for col in ("title", "publisher", "edition", "terms", "url", "citation"):
        assert (t[col].str.len() > 5).all(), col


def test_changed_file_raises_with_both_hashes(tmp_path, monkeypatch):
    rel = "gci_2017/gci.csv"
    (tmp_path / "gci_2017").mkdir()
    shutil.copy(raw_dir() / rel, tmp_path / rel)
    with open(tmp_path / rel, "a") as fh:
        fh.write("Atlantis,0.5\n")
    monkeypatch.setattr(registry, "raw_dir", lambda: tmp_path)
    monkeypatch.setattr(registry, "_VERIFIED", set())
    with pytest.raises(DataIntegrityError) as exc:
        registry.source_path("gci2017", rel)
    msg = str(exc.value)
    expected = dict(registry.get_source("gci2017").files)[rel]
    actual = hashlib.sha256((tmp_path / rel).read_bytes()).hexdigest()
    assert expected in msg and actual in msg and "gci.csv" in msg


def test_unknown_source_suggests():
    with pytest.raises(UnknownVariableError, match="did you mean 'hofstede'"):
        registry.get_source("hofsted")
