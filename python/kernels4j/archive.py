"""Reading and verifying a kernels4j model file, with the rules of Java's ``org.kernels4j.io.ModelFiles``.

A model file is a zip archive holding ``model.json`` (format name and version, model kind, kernel
spec, options, feature and target names, and the name and shape of every array), one NumPy ``.npy``
file per array, and ``checksums.sha256`` (a SHA-256 line per entry, ``sha256sum`` format). Before
anything is used: the file must be a complete zip; every entry must be listed with a matching
checksum and nothing unlisted may be present; the format name and version must be known; every
array must be a numeric .npy whose shape matches model.json. Any failure is one
:class:`ModelFileError` naming the file.
"""

import hashlib
import io
import json
import os
import re
import zipfile
import zlib

import numpy as np

from .errors import ModelFileError

FORMAT = "kernels4j-model"
VERSION = 1  # the newest format version this reader knows (Java's ModelFiles.VERSION)
JSON_ENTRY = "model.json"
CHECKSUMS = "checksums.sha256"
MAX_JSON_DEPTH = 64


def bad(name, problem):
    return ModelFileError("model file %s: %s" % (name, problem))


class Archive(object):
    """A verified model file: ``root`` (model.json as a dict) and ``arrays`` (name -> 2-D float64 array)."""

    def __init__(self, name, root, arrays):
        self.name = name
        self.root = root
        self.arrays = arrays

    def field(self, dotted, default=None):
        """A field by dotted name (``options.lambda`` is ``root["options"]["lambda"]``), or ``default``."""
        node = self.root
        for part in dotted.split("."):
            if not isinstance(node, dict) or part not in node:
                return default
            node = node[part]
        return node

    def require(self, dotted):
        v = self.field(dotted)
        if v is None:
            raise bad(self.name, "field '%s' is missing" % dotted)
        return v

    def number(self, dotted, default=None):
        v = self.field(dotted, default)
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            raise bad(self.name, "field '%s' must be a number" % dotted)
        return float(v)

    def array(self, key, rows=-1, cols=-1):
        a = self.arrays.get(key)
        if a is None:
            raise bad(self.name, "array '%s' is missing" % key)
        if (rows >= 0 and a.shape[0] != rows) or (cols >= 0 and a.shape[1] != cols):
            raise bad(self.name, "array '%s' has shape %dx%d, expected %sx%s" % (
                key, a.shape[0], a.shape[1], rows if rows >= 0 else "any", cols if cols >= 0 else "any"))
        if not np.all(np.isfinite(a)):
            raise bad(self.name, "array '%s' holds a non-finite value" % key)
        return a

    def has_array(self, key):
        return key in self.arrays


def _depth(node, limit, level=1):
    if level > limit:
        return True
    if isinstance(node, dict):
        return any(_depth(v, limit, level + 1) for v in node.values())
    if isinstance(node, list):
        return any(_depth(v, limit, level + 1) for v in node)
    return False


def _no_constants(token):
    raise ValueError("%s is not a JSON number" % token)


def read(path):
    """Reads and verifies a model file; returns an :class:`Archive`."""
    name = os.fspath(path)
    if not os.path.exists(name):
        raise ModelFileError("%s: no such model file" % name)
    entries = {}
    try:
        with zipfile.ZipFile(name) as z:
            for info in z.infolist():
                n = info.filename
                if info.is_dir() or "/" in n or "\\" in n:
                    raise bad(name, "unexpected entry '%s'" % n)
                if n in entries:
                    raise bad(name, "duplicate entry '%s'" % n)
                entries[n] = z.read(info)  # checks the stored CRC and size
    except ModelFileError:
        raise
    except zipfile.BadZipFile as e:
        # zipfile checks each entry's CRC-32 before our SHA-256 can: report it the way Java reports a changed byte
        m = re.match(r"Bad CRC-32 for file '([^']*)'", str(e))
        if m:
            raise bad(name, "checksum mismatch for '%s': the file was altered or damaged" % m.group(1))
        raise bad(name, "truncated or not a zip archive (%s)" % e)
    except (EOFError, zlib.error) as e:
        raise bad(name, "truncated or not a zip archive (%s)" % e)
    except OSError as e:
        raise bad(name, "cannot read (%s)" % e)
    sums = entries.get(CHECKSUMS)
    if sums is None:
        raise bad(name, "missing " + CHECKSUMS)
    listed = {}
    for line in sums.decode("utf-8", errors="replace").split("\n"):
        if not line.strip():
            continue
        sp = line.find("  ")
        if sp != 64:
            raise bad(name, "malformed line in %s: '%s'" % (CHECKSUMS, line))
        listed[line[sp + 2:]] = line[:64]
    for entry in entries:
        if entry != CHECKSUMS and entry not in listed:
            raise bad(name, "entry '%s' is not listed in %s" % (entry, CHECKSUMS))
    for entry, digest in listed.items():
        content = entries.get(entry)
        if content is None:
            raise bad(name, "missing entry '%s'" % entry)
        if hashlib.sha256(content).hexdigest() != digest:
            raise bad(name, "checksum mismatch for '%s': the file was altered or damaged" % entry)
    raw = entries.get(JSON_ENTRY)
    if raw is None:
        raise bad(name, "missing " + JSON_ENTRY)
    try:
        root = json.loads(raw.decode("utf-8"), parse_constant=_no_constants)
    except (ValueError, RecursionError) as e:
        raise bad(name, "%s is not valid JSON (%s)" % (JSON_ENTRY, str(e).splitlines()[0] if str(e) else e))
    if _depth(root, MAX_JSON_DEPTH):
        raise bad(name, "%s is nested deeper than %d levels" % (JSON_ENTRY, MAX_JSON_DEPTH))
    if not isinstance(root, dict) or root.get("format") != FORMAT:
        raise bad(name, "not a kernels4j model (format field missing)")
    version = root.get("version")
    if isinstance(version, bool) or not isinstance(version, (int, float)) or version != int(version) \
            or not 1 <= version <= VERSION:
        raise bad(name, "format version %s is not supported (this reader reads up to %d)" % (
            json.dumps(version), VERSION))
    arrays = {}
    declared = root.get("arrays", {})
    if not isinstance(declared, dict):
        raise bad(name, "field 'arrays' must be an object")
    for key, spec in declared.items():
        f = spec.get("file") if isinstance(spec, dict) else None
        if not isinstance(f, str) or f not in entries:
            raise bad(name, "array '%s' is missing" % key)
        a = _npy(entries[f], "%s!%s" % (name, f), name)
        shape = spec.get("shape")
        if not isinstance(shape, list) or len(shape) != 2 or list(a.shape) != shape:
            raise bad(name, "array '%s' has shape %dx%d but model.json says %s" % (
                key, a.shape[0], a.shape[1], json.dumps(shape)))
        arrays[key] = a
    return Archive(name, root, arrays)


def _npy(data, where, name):
    """A .npy entry as a 2-D float64 array (1-D n reads as n x 1, 0-D as 1 x 1), as Java's Npy.read:
    numeric dtypes only, and the data length must match the shape exactly."""
    f = io.BytesIO(data)
    try:
        major, _ = np.lib.format.read_magic(f)
        if major == 1:
            shape, fortran, dtype = np.lib.format.read_array_header_1_0(f)
        elif major in (2, 3):
            shape, fortran, dtype = np.lib.format.read_array_header_2_0(f)
        else:
            raise ValueError("unsupported .npy format version %d" % major)
    except ValueError as e:
        raise bad(name, "%s: not a readable .npy file (%s)" % (where, e))
    if dtype.kind not in "fiu" or dtype.hasobject or (dtype.kind == "u" and dtype.itemsize != 1) \
            or (dtype.kind == "f" and dtype.itemsize not in (4, 8)):
        raise bad(name, "%s: unsupported .npy dtype %s" % (where, dtype.str))
    if len(shape) > 2:
        raise bad(name, "%s: a %d-dimensional array cannot be read as a matrix" % (where, len(shape)))
    count = int(np.prod(shape)) if shape else 1
    start = f.tell()
    expected = count * dtype.itemsize
    if len(data) - start < expected:
        raise bad(name, "%s: .npy data is truncated: expected %d bytes, found %d" % (where, expected, len(data) - start))
    if len(data) - start > expected:
        raise bad(name, "%s: .npy file has %d unexpected bytes after the data" % (where, len(data) - start - expected))
    a = np.frombuffer(data, dtype=dtype, count=count, offset=start).astype(np.float64)
    rows = shape[0] if len(shape) >= 1 else 1
    cols = shape[1] if len(shape) == 2 else 1
    a = a.reshape((rows, cols), order="F" if fortran else "C")
    return np.ascontiguousarray(a)
