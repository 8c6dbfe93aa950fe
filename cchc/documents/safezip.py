"""Reading the parts of a zip package (.docx, .xlsx, .pptx) without trusting its index.

A zip's index says how large each part is, and a hostile file lies: a 1 MB .docx whose index
declares a few kilobytes can hold a part that expands to gigabytes. `SafeZip` takes from the
index only where each part starts and how it is compressed; it decompresses the part itself,
chunk by chunk, counting the bytes that really come out, and stops at the limits of
`cchc.documents.limits` (decompressed bytes for the whole package, and the expansion ratio of a
part) before they are reached in memory. The checksum is verified at the end of each part.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

from cchc.documents import limits as _limits
from cchc.documents.blocks import DocumentError
from cchc.documents.i18n import _

_CHUNK = 64 * 1024
_LOCAL_HEADER = struct.Struct("<4s2B4HL2L2H")
# A part is judged by its expansion ratio only once it is this large: tiny parts compress oddly.
_RATIO_FLOOR = 1024 * 1024


class SafeZip:
    """A zip package held in memory. `damaged` is the message for a file that is no readable zip."""

    def __init__(self, data: bytes, *, name: str, damaged: str):
        self.name = name
        self.damaged = damaged
        self.limits = _limits.current()
        self._data = memoryview(data)
        self.unzipped = 0  # decompressed bytes handed out so far, all parts together
        try:
            archive = zipfile.ZipFile(io.BytesIO(data))
            infos = archive.infolist()
        except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError, NotImplementedError):
            raise DocumentError(damaged) from None
        if len(infos) > self.limits.zip_members:
            raise DocumentError(
                _("%(name)s holds more than %(limit)s parts, more than an office document has; open it in Word, "
                  "Excel or LibreOffice, save it again and retry")
                % {"name": name, "limit": _limits.number_text(self.limits.zip_members)}
            )
        self._infos = {info.filename: info for info in infos}

    def names(self) -> set[str]:
        return set(self._infos)

    def read(self, member: str) -> bytes:
        """The whole part, counted against the package's limits as it is decompressed."""
        return b"".join(self.chunks(member))

    def check_all(self) -> None:
        """Decompress every part once, keeping nothing: proves the package's real size and that no
        XML part declares a document type (the way entity bombs are built)."""
        for member in self._infos:
            xml = member.lower().endswith((".xml", ".rels", ".vml"))
            tail = b""
            for chunk in self.chunks(member):
                if xml:
                    refuse_doctype(tail + chunk, self.name)
                    tail = chunk[-16:]

    def chunks(self, member: str):
        info = self._infos.get(member)
        if info is None:
            raise DocumentError(self.damaged)
        if info.flag_bits & 0x1:
            raise DocumentError(
                _("%(name)s is protected by a password; remove the password, save it again and retry") % {"name": self.name}
            )
        start = self._data_start(info)
        crc = 0
        out = 0
        if info.compress_type == zipfile.ZIP_STORED:
            end = start + info.compress_size
            if end > len(self._data):
                raise DocumentError(self.damaged)
            for at in range(start, end, _CHUNK):
                chunk = bytes(self._data[at:min(end, at + _CHUNK)])
                self._count(len(chunk))
                crc = zlib.crc32(chunk, crc)
                yield chunk
        elif info.compress_type == zipfile.ZIP_DEFLATED:
            inflater = zlib.decompressobj(-zlib.MAX_WBITS)
            at = start
            fed = 0
            while not inflater.eof:
                if inflater.unconsumed_tail:
                    pending = inflater.unconsumed_tail
                elif at < len(self._data):
                    pending = bytes(self._data[at:at + _CHUNK])
                    at += len(pending)
                    fed += len(pending)
                else:
                    raise DocumentError(self.damaged)  # the part ends before its compressed stream does
                try:
                    chunk = inflater.decompress(pending, _CHUNK)
                except zlib.error:
                    raise DocumentError(self.damaged) from None
                if not chunk:
                    continue
                out += len(chunk)
                self._count(len(chunk))
                if out > _RATIO_FLOOR and out > self.limits.zip_ratio * max(1, fed - len(inflater.unconsumed_tail)):
                    raise DocumentError(
                        _("%(name)s is compressed more than %(ratio)d times over, the way a zip bomb is built, not "
                          "an office document; open it in Word, Excel or LibreOffice, save it again and retry")
                        % {"name": self.name, "ratio": self.limits.zip_ratio}
                    )
                crc = zlib.crc32(chunk, crc)
                yield chunk
        else:
            raise DocumentError(self.damaged)
        if crc != info.CRC:
            raise DocumentError(self.damaged)

    def _data_start(self, info: zipfile.ZipInfo) -> int:
        offset = info.header_offset
        header = bytes(self._data[offset:offset + _LOCAL_HEADER.size])
        if len(header) < _LOCAL_HEADER.size:
            raise DocumentError(self.damaged)
        fields = _LOCAL_HEADER.unpack(header)
        if fields[0] != b"PK\x03\x04":
            raise DocumentError(self.damaged)
        return offset + _LOCAL_HEADER.size + fields[10] + fields[11]

    def _count(self, n: int) -> None:
        self.unzipped += n
        if self.unzipped > self.limits.unzipped_bytes:
            raise DocumentError(
                _("%(name)s expands to more than %(limit)s when opened, too much for a document of this kind; "
                  "remove embedded pictures or split it, save it again and retry")
                % {"name": self.name, "limit": _limits.size_text(self.limits.unzipped_bytes)}
            )


def refuse_doctype(head: bytes, name: str) -> None:
    """Office XML never declares a document type; one that does is built to expand entities."""
    if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
        raise DocumentError(
            _("%(name)s contains XML entity declarations, which office documents never use; open it in Word, "
              "Excel or LibreOffice, save it again and retry") % {"name": name}
        )
