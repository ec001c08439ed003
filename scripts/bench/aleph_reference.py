#!/usr/bin/env python3
"""The Python reference of `trove bench ingest`.

Walks a leak folder and, for every file, does what Aleph's ingest-file does
with the same libraries: hash it, pick a handler by magic bytes and extension,
and extract text and metadata (recursing into archives and email attachments
in memory). Nothing is stored or indexed, so this is a lower bound on the time
of a real Aleph ingest.

Files are spread over a pool of worker processes (Aleph runs its ingest
workers in parallel too). Errors are caught and counted per document, never
fatal. Prints one JSON object: files, bytes, seconds, failures, skipped, ...

Handlers:
  xlsx  openpyxl (read_only, every cell of every sheet) + workbook properties
  docx  python-docx (paragraphs, tables, core properties)
  pptx  python-pptx (text of every shape of every slide, core properties)
  pdf   pdfminer.six (document info, text page by page)
  image Pillow (size, EXIF, a 256 px JPEG thumbnail, a 64-bit gradient hash:
        the same facts trove records for every image)
  eml   stdlib email (headers, text bodies, attachments recursed)
  zip, tar, gzip  stdlib zipfile/tarfile/gzip (members recursed in memory)
  7z    py7zr (Aleph shells out to the 7z program; py7zr is the in-process equivalent)
  csv, html, text  stdlib; decoded as UTF-8, else GB 18030
Legacy .doc/.xls/.ppt (Aleph converts them with LibreOffice) and unknown
types are counted as skipped.
"""

from __future__ import annotations

import argparse
import csv
import email
import email.policy
import gzip
import hashlib
import html.parser
import io
import json
import logging
import os
import resource
import sys
import tarfile
import time
import zipfile
from dataclasses import dataclass
from multiprocessing import Pool
from typing import Callable, Iterator

import docx
import openpyxl
import pptx
import py7zr
import py7zr.io
from pdfminer.high_level import extract_pages
from pdfminer.layout import LTTextContainer
from pdfminer.pdfdocument import PDFDocument
from pdfminer.pdfparser import PDFParser
from PIL import Image

# Containers inside containers deeper than this are not opened (as in trove).
MAX_DEPTH = 8
# A 7z member larger than this is cut short rather than exhausting memory.
MAX_7Z_MEMBER = 256 << 20


@dataclass
class Tally:
    """What happened to the documents of one or more files."""

    documents: int = 0
    failures: int = 0
    skipped: int = 0
    text_chars: int = 0

    def add(self, other: Tally) -> None:
        self.documents += other.documents
        self.failures += other.failures
        self.skipped += other.skipped
        self.text_chars += other.text_chars


# A handler returns the document's text; members of containers are yielded to
# the caller separately (see CONTAINERS), so handlers stay simple.
Handler = Callable[[bytes], str]
Unpacker = Callable[[bytes], Iterator[tuple[str, bytes]]]


def decode_text(data: bytes) -> str:
    """UTF-8 if it decodes, else GB 18030 (the encoding of most Chinese files that are not UTF-8)."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("gb18030", errors="replace")


def metadata_text(values: list[object]) -> str:
    return "\n".join(str(value) for value in values if value)


def xlsx_text(data: bytes) -> str:
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        props = book.properties
        parts = [metadata_text([props.title, props.creator, props.created, props.modified])]
        for sheet in book.worksheets:
            parts.append(sheet.title)
            for row in sheet.iter_rows(values_only=True):
                parts.append("\t".join(str(cell) for cell in row if cell is not None))
        return "\n".join(parts)
    finally:
        book.close()


def docx_text(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    props = document.core_properties
    parts = [metadata_text([props.title, props.author, props.created, props.modified])]
    parts.extend(paragraph.text for paragraph in document.paragraphs)
    for table in document.tables:
        for row in table.rows:
            parts.append("\t".join(cell.text for cell in row.cells))
    return "\n".join(parts)


def pptx_text(data: bytes) -> str:
    presentation = pptx.Presentation(io.BytesIO(data))
    props = presentation.core_properties
    parts = [metadata_text([props.title, props.author, props.created, props.modified])]
    for slide in presentation.slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                parts.append(shape.text_frame.text)
    return "\n".join(parts)


def pdf_text(data: bytes) -> str:
    stream = io.BytesIO(data)
    info = PDFDocument(PDFParser(stream)).info
    parts = [metadata_text([str(entry) for entry in info])]
    for page in extract_pages(stream):
        parts.append("".join(element.get_text() for element in page if isinstance(element, LTTextContainer)))
    return "\n".join(parts)


def image_text(data: bytes) -> str:
    with Image.open(io.BytesIO(data)) as image:
        width, height = image.size
        exif = {str(tag): str(value) for tag, value in image.getexif().items()}
        image.thumbnail((256, 256))
        small = image.convert("RGB")
    thumbnail = io.BytesIO()
    small.save(thumbnail, format="JPEG", quality=80)
    return metadata_text([f"{width}x{height}", gradient_hash(small), *exif.values()])


def gradient_hash(image: Image.Image) -> str:
    """A 64-bit difference hash (9x8 grey, each pixel against its right neighbour)."""
    grey = image.convert("L").resize((9, 8), Image.Resampling.BILINEAR)
    pixels = list(grey.tobytes())
    bits = 0
    for row in range(8):
        for column in range(8):
            left, right = pixels[row * 9 + column], pixels[row * 9 + column + 1]
            bits = (bits << 1) | (left < right)
    return f"{bits:016x}"


class _HtmlText(html.parser.HTMLParser):
    """Collects the text of an HTML page, leaving out scripts and styles."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._hidden += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style") and self._hidden:
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data)


def html_text(data: bytes) -> str:
    parser = _HtmlText()
    parser.feed(decode_text(data))
    parser.close()
    return " ".join(parser.parts)


def csv_text(data: bytes) -> str:
    rows = csv.reader(io.StringIO(decode_text(data)))
    return "\n".join("\t".join(row) for row in rows)


def eml_text(data: bytes) -> str:
    message = email.message_from_bytes(data, policy=email.policy.default)
    parts = [metadata_text([message[h] for h in ("subject", "from", "to", "date", "message-id")])]
    for part in message.walk():
        is_attachment = part.get_filename() or part.get_content_disposition() == "attachment"
        if not part.is_multipart() and not is_attachment and part.get_content_maintype() == "text":
            parts.append(part.get_content())
    return "\n".join(parts)


def eml_attachments(data: bytes) -> Iterator[tuple[str, bytes]]:
    message = email.message_from_bytes(data, policy=email.policy.default)
    for part in message.walk():
        name = part.get_filename()
        if name or part.get_content_disposition() == "attachment":
            payload = part.get_payload(decode=True)
            if isinstance(payload, bytes):
                yield name or "attachment", payload


def zip_members(data: bytes) -> Iterator[tuple[str, bytes]]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for info in archive.infolist():
            if not info.is_dir():
                yield info.filename, archive.read(info)


def tar_members(data: bytes) -> Iterator[tuple[str, bytes]]:
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:*") as archive:
        for member in archive.getmembers():
            reader = archive.extractfile(member) if member.isfile() else None
            if reader is not None:
                yield member.name, reader.read()


def gzip_members(data: bytes) -> Iterator[tuple[str, bytes]]:
    """A .tar.gz is a tar; any other gzip stream holds one file."""
    try:
        yield from tar_members(data)
    except tarfile.ReadError:
        yield "content", gzip.decompress(data)


def seven_zip_members(data: bytes) -> Iterator[tuple[str, bytes]]:
    factory = py7zr.io.BytesIOFactory(MAX_7Z_MEMBER)
    with py7zr.SevenZipFile(io.BytesIO(data)) as archive:
        archive.extractall(factory=factory)
    for name, member in factory.products.items():
        member.seek(0)
        yield name, member.read()


HANDLERS: dict[str, Handler] = {
    "xlsx": xlsx_text,
    "docx": docx_text,
    "pptx": pptx_text,
    "pdf": pdf_text,
    "image": image_text,
    "eml": eml_text,
    "html": html_text,
    "csv": csv_text,
    "text": decode_text,
}

CONTAINERS: dict[str, Unpacker] = {
    "eml": eml_attachments,
    "zip": zip_members,
    "tar": tar_members,
    "gzip": gzip_members,
    "7z": seven_zip_members,
}

IMAGE_MAGIC = (b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"GIF8", b"II*\x00", b"MM\x00*")
OOXML_PARTS = {"word/document.xml": "docx", "xl/workbook.xml": "xlsx", "ppt/presentation.xml": "pptx"}
TEXT_EXTENSIONS = {".txt": "text", ".log": "text", ".md": "text", ".csv": "csv", ".tsv": "csv",
                   ".html": "html", ".htm": "html", ".eml": "eml"}


def detect(name: str, data: bytes) -> str | None:
    """The handler for a document, by its magic bytes first and its extension second."""
    if data.startswith(b"%PDF"):
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = set(archive.namelist())
        except zipfile.BadZipFile:
            return "zip"  # let the handler record the failure
        return next((kind for part, kind in OOXML_PARTS.items() if part in names), "zip")
    if data.startswith(IMAGE_MAGIC) or (data[:4] == b"RIFF" and data[8:12] == b"WEBP"):
        return "image"
    if data.startswith(b"7z\xbc\xaf\x27\x1c"):
        return "7z"
    if data.startswith(b"\x1f\x8b"):
        return "gzip"
    if data[257:262] == b"ustar":
        return "tar"
    return TEXT_EXTENSIONS.get(os.path.splitext(name)[1].lower())


def process_document(name: str, data: bytes, depth: int) -> Tally:
    """Hashes, types and extracts one document, then everything inside it."""
    tally = Tally(documents=1)
    hashlib.sha256(data).digest()
    kind = detect(name, data)
    if kind is None:
        tally.skipped += 1
        return tally
    try:
        if kind in HANDLERS:
            tally.text_chars += len(HANDLERS[kind](data))
        if kind in CONTAINERS and depth < MAX_DEPTH:
            for member_name, member in CONTAINERS[kind](data):
                tally.add(process_document(member_name, member, depth + 1))
    except Exception:  # any library error is a failed document, never a failed run
        tally.failures += 1
    return tally


def process_file(path: str) -> tuple[int, Tally]:
    """Reads one file from the leak; returns its size and what became of its documents."""
    try:
        with open(path, "rb") as file:
            data = file.read()
    except OSError:
        return 0, Tally(documents=1, failures=1)
    return len(data), process_document(os.path.basename(path), data, 0)


def quiet_pdfminer() -> None:
    """pdfminer logs a warning for every odd font; here failures are counted, not logged."""
    logging.getLogger("pdfminer").setLevel(logging.ERROR)


def leak_files(root: str) -> list[str]:
    return sorted(os.path.join(folder, name) for folder, _, names in os.walk(root) for name in names)


def peak_rss_bytes() -> int:
    """The largest resident set of this process and its (reaped) workers; ru_maxrss is in KiB on Linux."""
    largest = max(resource.getrusage(who).ru_maxrss for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
    return largest * (1 if sys.platform == "darwin" else 1024)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("leak", help="the folder to extract")
    parser.add_argument("--workers", type=int, default=2, help="worker processes (default 2)")
    args = parser.parse_args()

    started = time.perf_counter()
    paths = leak_files(args.leak)
    total = Tally()
    total_bytes = 0
    with Pool(max(1, args.workers), initializer=quiet_pdfminer) as pool:
        for size, tally in pool.imap_unordered(process_file, paths, chunksize=4):
            total_bytes += size
            total.add(tally)
        pool.close()
        pool.join()
    seconds = time.perf_counter() - started

    print(json.dumps({
        "files": len(paths),
        "bytes": total_bytes,
        "seconds": seconds,
        "failures": total.failures,
        "skipped": total.skipped,
        "documents": total.documents,
        "text_chars": total.text_chars,
        "workers": args.workers,
        "peak_rss_bytes": peak_rss_bytes(),
        "seven_zip": f"extracted with py7zr {py7zr.__version__} (Aleph runs the 7z program)",
    }))


if __name__ == "__main__":
    main()
