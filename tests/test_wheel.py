"""The installed wheel works away from the checkout, with its bundled data."""
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    out = tmp_path_factory.mktemp("wheel")
    # --no-build-isolation: hatchling is in the test extras, so no network is needed here
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
                    "-w", str(out), str(ROOT)], check=True, capture_output=True)
    (whl,) = out.glob("cybercult-*.whl")
    return whl


def test_wheel_contains_data_and_registry(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "cybercult/data/sources.toml" in names
    assert "cybercult/data/corrections.csv" in names
    assert "cybercult/_data/raw/gci_2020/gci2020.csv" in names
    assert any(n.startswith("cybercult/_data/raw/hofstede/") for n in names)


def test_wheel_installed_in_fresh_venv_builds_panel(wheel, tmp_path):
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    py = venv / "bin" / "python"
    subprocess.run([sys.executable, "-m", "pip", "--python", str(py), "install", "--no-deps", "-q", str(wheel)],
                   check=True, capture_output=True)
    # dependencies come from the test environment's site-packages; a plain path entry in a .pth
    # does not process that folder's own .pth files, so the editable cybercult there stays invisible
    site = subprocess.run([str(py), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          check=True, capture_output=True, text=True).stdout.strip()
    Path(site, "deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    code = ("import cybercult as cc, pathlib; p = cc.build_panel(); "
            "print(pathlib.Path(cc.__file__).resolve()); print(p.n); print(p.data.loc['EST', 'gci2020.score'])")
    r = subprocess.run([str(py), "-c", code], cwd=tmp_path, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    where, n, est = r.stdout.split()
    assert str(venv.resolve()) in where
    assert int(n) > 50 and float(est) == 99.48
