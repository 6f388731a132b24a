"""Tests of the package's in-tree build backend (bindings/python/_build/chipcheck_build.py): the wheel it
writes, its metadata, and its errors. Installing with pip into fresh venvs of every interpreter on the
machine, with and without build isolation, is tests/newcomer.sh item 1 (run by make test)."""
import base64
import hashlib
import importlib.util
import os
import re
import shutil
import tarfile
import zipfile

import pytest

import chipcheck

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BACKEND = os.path.join(ROOT, "bindings", "python", "_build", "chipcheck_build.py")


@pytest.fixture()
def backend():
    spec = importlib.util.spec_from_file_location("chipcheck_build", BACKEND)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def library():
    return os.environ["CHIPCHECK_LIBRARY"]  # the Makefile sets it to the library it built


def test_versions_agree(backend):
    with open(os.path.join(ROOT, "include", "chipcheck.h")) as f:
        header = re.search(r'#define CHIPCHECK_VERSION "([0-9.]+)"', f.read()).group(1)
    name, version, _ = backend._metadata()
    assert (name, version) == ("chipcheck", header)
    assert chipcheck.__version__ == header


def test_mini_toml_reads_pyproject_as_tomllib_does(backend):
    tomllib = pytest.importorskip("tomllib")
    with open(os.path.join(ROOT, "bindings", "python", "pyproject.toml")) as f:
        text = f.read()
    assert backend._mini_toml(text) == tomllib.loads(text)
    assert backend._mini_toml('[a]\nx = [\n  "1",\n  "2",\n]\n[a.b]\ny = {text = "z"}\n') == \
        {"a": {"x": ["1", "2"], "b": {"y": {"text": "z"}}}}
    with pytest.raises(backend.BuildError):
        backend._mini_toml("[a]\nx = 1\n")


def test_no_build_requirements(backend):
    assert backend.get_requires_for_build_wheel() == []
    assert backend.get_requires_for_build_sdist() == []


def test_wheel_carries_the_library_and_a_valid_record(backend, tmp_path):
    name = backend.build_wheel(str(tmp_path), {"library": library()})
    tag = re.sub(r"[^A-Za-z0-9]", "_", __import__("sysconfig").get_platform())
    assert name == "chipcheck-0.2.0-py3-none-%s.whl" % tag
    with zipfile.ZipFile(str(tmp_path / name)) as z:
        names = z.namelist()
        modules = sorted(f for f in os.listdir(os.path.join(ROOT, "bindings", "python", "chipcheck")) if f.endswith(".py"))
        assert names == ["chipcheck/" + m for m in modules] + [
            "chipcheck/libchipcheck.so.0", "chipcheck-0.2.0.dist-info/METADATA", "chipcheck-0.2.0.dist-info/WHEEL",
            "chipcheck-0.2.0.dist-info/top_level.txt", "chipcheck-0.2.0.dist-info/RECORD"]
        with open(library(), "rb") as f:
            assert z.read("chipcheck/libchipcheck.so.0") == f.read()
        assert (z.getinfo("chipcheck/libchipcheck.so.0").external_attr >> 16) & 0o777 == 0o755
        assert z.read("chipcheck-0.2.0.dist-info/WHEEL").decode() == (
            "Wheel-Version: 1.0\nGenerator: chipcheck_build (bindings/python/_build)\nRoot-Is-Purelib: false\n"
            "Tag: py3-none-%s\n" % tag)
        metadata = z.read("chipcheck-0.2.0.dist-info/METADATA").decode()
        assert metadata.startswith("Metadata-Version: 2.1\nName: chipcheck\nVersion: 0.2.0\nSummary: Export screening")
        assert "Requires-Python: >=3.8\nLicense: Proprietary\n" in metadata
        assert "\n# chipcheck for Python\n" in metadata
        record = z.read("chipcheck-0.2.0.dist-info/RECORD").decode().splitlines()
        assert len(record) == len(names)
        for line in record[:-1]:
            path, digest, size = line.split(",")
            data = z.read(path)
            assert int(size) == len(data)
            assert digest == "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
        assert record[-1] == "chipcheck-0.2.0.dist-info/RECORD,,"


def test_wheel_is_reproducible(backend, tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    a = backend.build_wheel(str(tmp_path / "a"), {"library": library()})
    b = backend.build_wheel(str(tmp_path / "b"), {"library": library()})
    assert (tmp_path / "a" / a).read_bytes() == (tmp_path / "b" / b).read_bytes()


def test_default_library_is_the_one_make_built(backend, tmp_path):
    # With no library= setting the wheel carries build/libchipcheck.so.0 of this repository.
    name = backend.build_wheel(str(tmp_path))
    with zipfile.ZipFile(str(tmp_path / name)) as z, open(os.path.join(ROOT, "build", "libchipcheck.so.0"), "rb") as f:
        assert z.read("chipcheck/libchipcheck.so.0") == f.read()


def test_no_library_says_run_make(backend, tmp_path):
    project = tmp_path / "elsewhere" / "python"
    shutil.copytree(os.path.join(ROOT, "bindings", "python"), str(project), ignore=shutil.ignore_patterns("__pycache__"))
    backend.PROJECT = str(project)  # a copy with no build/ two levels up
    with pytest.raises(backend.BuildError) as e:
        backend.build_wheel(str(tmp_path))
    assert str(e.value) == ("no libchipcheck.so.0 to put in the wheel: run `make` at the repository root first "
                            "(it builds build/libchipcheck.so.0), or give one with "
                            "`pip install --config-settings library=PATH`")
    with pytest.raises(backend.BuildError) as e:
        backend.build_wheel(str(tmp_path), {"library": str(tmp_path / "nope.so")})
    assert str(e.value) == "library=%s: no such file" % (tmp_path / "nope.so")
    assert [p.name for p in tmp_path.iterdir()] == ["elsewhere"]  # no partial wheel left behind


def test_sdist_holds_the_sources(backend, tmp_path):
    name = backend.build_sdist(str(tmp_path))
    assert name == "chipcheck-0.2.0.tar.gz"
    with tarfile.open(str(tmp_path / name)) as t:
        names = t.getnames()
        assert "chipcheck-0.2.0/pyproject.toml" in names
        assert "chipcheck-0.2.0/_build/chipcheck_build.py" in names
        assert "chipcheck-0.2.0/chipcheck/_ffi.py" in names
        assert t.extractfile("chipcheck-0.2.0/PKG-INFO").read().decode().startswith("Metadata-Version: 2.1\n")
