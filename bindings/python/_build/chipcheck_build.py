"""PEP 517 build backend of the chipcheck Python package, in this tree and using only the standard library.

pip needs nothing else to build the package (no setuptools, no wheel), so ``pip install --no-index
bindings/python`` works offline in any fresh venv, with or without build isolation. The wheel carries the
shared library beside the module, as ``chipcheck/libchipcheck.so.0``, so the installed package finds it
with no environment variable. The library bundled is, in order:

- the path given as ``pip install --config-settings library=PATH bindings/python``;
- the one ``make`` built in this repository (``build/libchipcheck.so.0`` beside ``bindings/``).

When there is none, the build stops and says to run ``make`` first. The wheel is tagged for this
platform (``py3-none-<platform>``), since it holds native code; ``build_sdist`` makes a source archive of
the Python files, from which a wheel needs ``library=PATH``.
"""
import base64
import hashlib
import io
import os
import re
import sysconfig
import tarfile
import time
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
PROJECT = os.path.dirname(HERE)  # bindings/python
PACKAGE = "chipcheck"
#: The major version of the library the package is written for (its SONAME is libchipcheck.so.MAJOR).
LIB_MAJOR = 0


class BuildError(Exception):
    """The wheel cannot be built as asked; the message says what to do."""


# ---- metadata ------------------------------------------------------------------------------------------

def _mini_toml(text):
    """The tables of a small TOML file (``[a.b]`` headers; ``key = "string"``, ``key = [strings]`` and
    ``key = {k = "string"}`` values, one a line, arrays may span lines) as nested dicts. Enough for this
    package's pyproject.toml on interpreters without tomllib (before 3.11)."""
    root, table, pending = {}, None, None
    for raw in text.splitlines():
        line = raw.strip() if '"' in raw else raw.split("#", 1)[0].strip()  # no "#" inside our strings
        if pending is not None:
            pending[1].append(line)
            if line.endswith("]"):
                key, parts = pending
                table[key] = re.findall(r'"((?:[^"\\]|\\.)*)"', " ".join(parts))
                pending = None
            continue
        if not line or line.startswith("#"):
            continue
        m = re.match(r"\[([A-Za-z0-9_.-]+)\]$", line)
        if m:
            table = root
            for name in m.group(1).split("."):
                table = table.setdefault(name, {})
            continue
        m = re.match(r'([A-Za-z0-9_."-]+)\s*=\s*(.*)$', line)
        if not m or table is None:
            raise BuildError("pyproject.toml: cannot read %r" % raw)
        key, value = m.group(1).strip('"'), m.group(2).strip()
        if value.startswith('"'):
            table[key] = re.match(r'"((?:[^"\\]|\\.)*)"', value).group(1)
        elif value.startswith("[") and not value.endswith("]"):
            pending = (key, [value])
        elif value.startswith("["):
            table[key] = re.findall(r'"((?:[^"\\]|\\.)*)"', value)
        elif value.startswith("{"):
            table[key] = dict(re.findall(r'([A-Za-z0-9_-]+)\s*=\s*"((?:[^"\\]|\\.)*)"', value))
        else:
            raise BuildError("pyproject.toml: unsupported value in %r" % raw)
    return root


def _pyproject():
    path = os.path.join(PROJECT, "pyproject.toml")
    with open(path, "rb") as f:
        data = f.read()
    try:
        import tomllib  # Python 3.11 and later
    except ImportError:
        return _mini_toml(data.decode("utf-8"))
    return tomllib.loads(data.decode("utf-8"))


def _metadata():
    """The core metadata (METADATA / PKG-INFO text) from the [project] table of pyproject.toml."""
    project = _pyproject()["project"]
    lines = ["Metadata-Version: 2.1", "Name: %s" % project["name"], "Version: %s" % project["version"]]
    if project.get("description"):
        lines.append("Summary: %s" % project["description"])
    if project.get("requires-python"):
        lines.append("Requires-Python: %s" % project["requires-python"])
    license_ = project.get("license")
    if isinstance(license_, dict) and license_.get("text"):
        lines.append("License: %s" % license_["text"])
    for classifier in project.get("classifiers", []):
        lines.append("Classifier: %s" % classifier)
    body = ""
    readme = project.get("readme")
    if readme:
        lines.append("Description-Content-Type: text/markdown")
        with open(os.path.join(PROJECT, readme), encoding="utf-8") as f:
            body = "\n" + f.read()
    return project["name"], project["version"], "\n".join(lines) + "\n" + body


# ---- what goes into the wheel -------------------------------------------------------------------------

def _python_files():
    """The package's modules, as (path in the archive, path on disk), sorted."""
    out = []
    for name in sorted(os.listdir(os.path.join(PROJECT, PACKAGE))):
        if name.endswith(".py"):
            out.append(("%s/%s" % (PACKAGE, name), os.path.join(PROJECT, PACKAGE, name)))
    return out


def _library(config_settings):
    """The shared library to bundle (a path to a regular file), or BuildError saying how to get one."""
    asked = (config_settings or {}).get("library")
    if asked:
        path = os.path.abspath(asked)
        if not os.path.isfile(path):
            raise BuildError("library=%s: no such file" % asked)
        return os.path.realpath(path)
    built = os.path.join(PROJECT, "..", "..", "build", "libchipcheck.so.%d" % LIB_MAJOR)
    if os.path.isfile(built):
        return os.path.realpath(built)
    raise BuildError(
        "no libchipcheck.so.%d to put in the wheel: run `make` at the repository root first (it builds "
        "build/libchipcheck.so.%d), or give one with `pip install --config-settings library=PATH`"
        % (LIB_MAJOR, LIB_MAJOR))


def _platform_tag():
    return re.sub(r"[^A-Za-z0-9]", "_", sysconfig.get_platform())


def _epoch():
    """The time stamped on archive members: SOURCE_DATE_EPOCH when set (reproducible builds), else 1980."""
    try:
        return max(int(os.environ["SOURCE_DATE_EPOCH"]), 315532800)
    except (KeyError, ValueError):
        return 315532800


def _record_hash(data):
    digest = hashlib.sha256(data).digest()
    return "sha256=" + base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


# ---- the PEP 517 hooks ---------------------------------------------------------------------------------

def get_requires_for_build_wheel(config_settings=None):
    return []


def get_requires_for_build_sdist(config_settings=None):
    return []


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    """Write chipcheck-VERSION-py3-none-PLATFORM.whl into wheel_directory: the modules, the library as
    chipcheck/libchipcheck.so.MAJOR, and the .dist-info (METADATA, WHEEL, top_level.txt, RECORD)."""
    name, version, metadata = _metadata()
    library = _library(config_settings)
    tag = "py3-none-%s" % _platform_tag()
    dist_info = "%s-%s.dist-info" % (name, version)
    files = []
    for arcname, path in _python_files():
        with open(path, "rb") as f:
            files.append((arcname, f.read(), 0o644))
    with open(library, "rb") as f:
        files.append(("%s/libchipcheck.so.%d" % (PACKAGE, LIB_MAJOR), f.read(), 0o755))
    wheel_text = ("Wheel-Version: 1.0\nGenerator: chipcheck_build (bindings/python/_build)\n"
                  "Root-Is-Purelib: false\nTag: %s\n" % tag)
    files.append(("%s/METADATA" % dist_info, metadata.encode("utf-8"), 0o644))
    files.append(("%s/WHEEL" % dist_info, wheel_text.encode("ascii"), 0o644))
    files.append(("%s/top_level.txt" % dist_info, (PACKAGE + "\n").encode("ascii"), 0o644))
    record = "".join("%s,%s,%d\n" % (arc, _record_hash(data), len(data)) for arc, data, _ in files)
    record += "%s/RECORD,,\n" % dist_info
    files.append(("%s/RECORD" % dist_info, record.encode("utf-8"), 0o644))

    filename = "%s-%s-%s.whl" % (name, version, tag)
    stamp = time.gmtime(_epoch())[:6]
    target = os.path.join(wheel_directory, filename)
    with zipfile.ZipFile(target + ".part", "w", zipfile.ZIP_DEFLATED) as z:
        for arcname, data, mode in files:
            info = zipfile.ZipInfo(arcname, date_time=stamp)
            info.external_attr = (0o100000 | mode) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data)
    os.replace(target + ".part", target)
    return filename


def build_sdist(sdist_directory, config_settings=None):
    """Write chipcheck-VERSION.tar.gz: pyproject.toml, README.md, this backend, the modules and PKG-INFO."""
    name, version, metadata = _metadata()
    base = "%s-%s" % (name, version)
    members = [("pyproject.toml", os.path.join(PROJECT, "pyproject.toml")),
               ("README.md", os.path.join(PROJECT, "README.md")),
               ("_build/chipcheck_build.py", os.path.join(HERE, "chipcheck_build.py"))] + _python_files()
    contents = []
    for arcname, path in members:
        with open(path, "rb") as f:
            contents.append((arcname, f.read()))
    contents.append(("PKG-INFO", metadata.encode("utf-8")))
    filename = base + ".tar.gz"
    target = os.path.join(sdist_directory, filename)
    with tarfile.open(target + ".part", "w:gz", format=tarfile.PAX_FORMAT) as tar:
        for arcname, data in contents:
            info = tarfile.TarInfo("%s/%s" % (base, arcname))
            info.size, info.mtime, info.mode = len(data), _epoch(), 0o644
            tar.addfile(info, io.BytesIO(data))
    os.replace(target + ".part", target)
    return filename
