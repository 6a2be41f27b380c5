"""One checksummed file of named integer arrays and plain JSON data, read back without unpickling.

Layout: a header line (JSON: format, version, key, the sha256 of the rest, the JSON data's size and
each array's name, dtype, length and offset), then the JSON data, then each array's raw bytes at an
8-byte-aligned offset. Reading checks the format, version, key and checksum, then makes each array
a read-only view of the bytes read (``numpy.frombuffer``): no copy, no parsing, nothing executed.

Why not ``numpy.savez``: a zip needs a checksum of its own and one decompression and copy per array;
why not pickle: a cache file is never trusted (``bot.indexcache``).
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import msgspec
import numpy as np

from .indexcache import IndexCache, checked_body

log = logging.getLogger("briefbot.cache")

FORMAT = "briefbot-arrays"
VERSION = 1
DTYPES = frozenset({"<i4", "<i8"})  # all the index keeps; anything else in a file is refused
ALIGN = 8


def write_arrays(
    cache: IndexCache, kind: str, name: str, key: str, data: Any, arrays: Mapping[str, np.ndarray]
) -> None:
    """Store ``data`` (plain JSON data) and ``arrays`` (one-dimensional, int32 or int64) as
    ``<cache>/<kind>/<name>`` under ``key``, atomically (see ``IndexCache.write_file``)."""
    parts = [msgspec.json.encode(data)]
    offset = len(parts[0])
    table = []
    for array_name, array in arrays.items():
        array = np.ascontiguousarray(array, dtype=array.dtype.newbyteorder("<"))
        dtype = array.dtype.str
        if dtype not in DTYPES or array.ndim != 1:
            raise ValueError(f"{array_name}: only one-dimensional int32/int64 arrays are kept, not {dtype}")
        padding = -offset % ALIGN
        parts.append(b"\0" * padding)
        offset += padding
        table.append([array_name, dtype, len(array), offset])
        raw = array.tobytes()
        parts.append(raw)
        offset += len(raw)
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part)
    header = {
        "format": FORMAT,
        "version": VERSION,
        "key": key,
        "sha256": digest.hexdigest(),
        "data_bytes": len(parts[0]),
        "arrays": table,
    }
    cache.write_file(kind, name, json.dumps(header).encode() + b"\n", *parts)


def read_arrays(path: Path, key: str) -> tuple[Any, dict[str, np.ndarray]] | None:
    """(data, arrays) written under ``key`` to ``path``; None when absent, or (logged) when unusable:
    damaged, truncated, of another format, version or key."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        log.warning("cannot read %s (%s); building the index again", path, exc)
        return None
    try:
        header, body = checked_body(raw, FORMAT, VERSION, key)
        size = int(header["data_bytes"])
        data = msgspec.json.decode(body[:size])
        arrays: dict[str, np.ndarray] = {}
        for name, dtype, length, offset in header["arrays"]:
            if dtype not in DTYPES or not isinstance(length, int) or not isinstance(offset, int):
                raise ValueError(f"array {name!r}: unexpected type or size")
            itemsize = np.dtype(dtype).itemsize
            if offset < size or offset % ALIGN or length < 0 or offset + length * itemsize > len(body):
                raise ValueError(f"array {name!r}: outside the file")
            arrays[str(name)] = np.frombuffer(body, dtype=dtype, count=length, offset=offset)
    except (ValueError, KeyError, TypeError, RecursionError, msgspec.DecodeError) as exc:
        log.warning("index file %s is unusable (%s); building the index again", path, exc)
        return None
    return data, arrays
