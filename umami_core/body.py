"""Reading an answer's body in bounded memory: decompression that stops at the size limit.

Transports feed the raw bytes as they arrive and stop when :meth:`BodyReader.feed` says so. The
limit holds after decompression, so a small gzip bomb cannot grow into gigabytes: zlib is asked
for at most one byte more than the room left, never for everything a chunk would inflate to.
"""

from __future__ import annotations

import zlib

from umami_core.errors import UnexpectedResponseError

__all__ = ["ACCEPT_ENCODING", "BodyReader"]

#: What every request accepts: what BodyReader decodes with the standard library alone.
ACCEPT_ENCODING = "gzip, deflate"

_GZIP_WBITS = 16 + zlib.MAX_WBITS


class BodyReader:
    """Collects a body up to ``max_body`` bytes, decoding ``gzip`` or ``deflate`` on the way.

    Any other content coding is kept as received (none is asked for). ``feed()`` returns False
    once the limit is passed: stop reading then, ``truncated`` is True and ``body`` holds the
    first ``max_body`` bytes.
    """

    __slots__ = ("_decoder", "_parts", "_room", "_wbits", "truncated")

    def __init__(self, content_encoding: str | None, max_body: int) -> None:
        self._parts: list[bytes] = []
        self._room = max_body
        self.truncated = False
        coding = (content_encoding or "").strip().lower()
        self._wbits: int | None = _GZIP_WBITS if coding in ("gzip", "x-gzip") else 0 if coding == "deflate" else None
        self._decoder: zlib._Decompress | None = None

    def feed(self, chunk: bytes) -> bool:
        """Take the next raw chunk; False when the limit is passed and reading should stop."""
        if self.truncated or not chunk:
            return not self.truncated
        pieces = self._inflate(chunk) if self._wbits is not None else [chunk]
        for piece in pieces:
            if len(piece) > self._room:
                self._parts.append(piece[: self._room])
                self._room = 0
                self.truncated = True
                return False
            self._parts.append(piece)
            self._room -= len(piece)
        return True

    @property
    def plain(self) -> bool:
        """The body is taken as received (no decompression): its length on the wire is its length."""
        return self._wbits is None

    @property
    def body(self) -> bytes:
        return b"".join(self._parts)

    def _inflate(self, data: bytes) -> list[bytes]:
        pieces = []
        # One byte more than the room left: enough to tell that the limit is passed.
        wanted = self._room + 1
        while data and wanted > 0:
            decoder = self._decoder
            if decoder is None or decoder.eof:
                if decoder is not None and not data.strip(b"\0"):
                    break  # padding after the last gzip member
                decoder = self._decoder = zlib.decompressobj(self._wbits_for(data))
            try:
                piece = decoder.decompress(data, wanted)
            except zlib.error as exc:
                raise UnexpectedResponseError(f"Umami's answer could not be decompressed: {exc}") from None
            pieces.append(piece)
            wanted -= len(piece)
            # Another gzip member may follow the one that ended; otherwise all input was used.
            data = decoder.unused_data if decoder.eof else b""
        return pieces

    def _wbits_for(self, data: bytes) -> int:
        if self._wbits:
            return self._wbits
        # 'deflate' is meant to be zlib-wrapped, but some servers send a raw deflate stream.
        is_zlib = len(data) >= 2 and data[0] & 0x0F == 8 and (data[0] << 8 | data[1]) % 31 == 0
        return zlib.MAX_WBITS if is_zlib else -zlib.MAX_WBITS
