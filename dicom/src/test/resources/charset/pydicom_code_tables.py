"""Prints how pydicom reads every cell of each character set that (0008,0005) can name.

Usage: python3 pydicom_code_tables.py
Output (stdout, UTF-8 JSON): {"<defined term>": {"<cell as hex bytes>": "<character>"}}. A cell is one byte
0x80..0xFF for the single-byte sets and two bytes for the 94x94 sets, as they appear on the wire (7-bit for
the G0 sets ISO 2022 IR 87 and 159, 8-bit for the G1 sets ISO 2022 IR 149 and 58). Multi-byte cells are
decoded by pydicom itself: a G0 set behind its escape sequence with value 1 empty, a G1 set as value 1
without escape sequence (pydicom 2.3 keeps ESC $ ) A of ISO 2022 IR 58 in the text). Cells pydicom cannot
read (it warns and substitutes) are left out. ISO_IR 203 is missing from pydicom's table, so Python's
own iso8859_15 codec stands in for it.
"""
import json
import sys
import warnings

from pydicom.charset import convert_encodings, decode_bytes, python_encoding

SINGLE_BYTE_TERMS = ["ISO_IR 100", "ISO_IR 101", "ISO_IR 109", "ISO_IR 110", "ISO_IR 144", "ISO_IR 127",
                     "ISO_IR 126", "ISO_IR 138", "ISO_IR 148", "ISO_IR 203", "ISO_IR 13", "ISO_IR 166"]
MULTI_BYTE_TERMS = {"ISO 2022 IR 87": (b"\x1b$B", 0x00), "ISO 2022 IR 159": (b"\x1b$(D", 0x00),
                    "ISO 2022 IR 149": (b"", 0x80), "ISO 2022 IR 58": (b"", 0x80)}
NOT_IN_PYDICOM = {"ISO_IR 203": "iso8859_15"}


def single_byte_table(term):
    codec = python_encoding.get(term) or NOT_IN_PYDICOM[term]
    table = {}
    for b in range(0x80, 0x100):
        try:
            table["%02x" % b] = bytes([b]).decode(codec)
        except UnicodeDecodeError:
            pass
    return table


def multi_byte_table(term, escape, high_bits):
    encodings = convert_encodings(["", term] if escape else [term])
    table = {}
    for row in range(0x21, 0x7F):
        for col in range(0x21, 0x7F):
            cell = bytes([row | high_bits, col | high_bits])
            try:
                text = decode_bytes(escape + cell, encodings, set())
            except (UserWarning, UnicodeDecodeError):
                continue
            if len(text) == 1:
                table[cell.hex()] = text
    return table


def main():
    warnings.simplefilter("error")
    result = {term: single_byte_table(term) for term in SINGLE_BYTE_TERMS}
    for term, (escape, high_bits) in MULTI_BYTE_TERMS.items():
        result[term] = multi_byte_table(term, escape, high_bits)
    json.dump(result, sys.stdout, ensure_ascii=False, sort_keys=True)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
