"""Prints what pydicom decodes for the text values that Specific Character Set affects.

Usage: python3 pydicom_text_values.py FILE...
Output (stdout, UTF-8 JSON): {"<file name>": {"<tag path>": ["value", ...]}} for every PN, SH, LO, ST, LT,
UC and UT element, recursing into sequences. A tag path is eight upper-case hex digits per element, joined
with "/<item index>/" for nested items, e.g. "00081110/0/00100010". A PN value is pydicom's full string
with its "=" component groups; an empty value gives an empty list. Elements the file encodes as UN stay UN
(pydicom would otherwise give them the VR of its private dictionaries), so only text that the file itself
declares as one of these VRs is compared.
"""
import json
import sys
import warnings

import pydicom
import pydicom.config

AFFECTED_VRS = {"PN", "SH", "LO", "ST", "LT", "UC", "UT"}


def text_values(dataset, prefix, out):
    for elem in dataset:
        path = prefix + "%08X" % elem.tag
        if elem.VR == "SQ":
            for i, item in enumerate(elem.value):
                text_values(item, path + "/%d/" % i, out)
        elif elem.VR in AFFECTED_VRS:
            value = elem.value
            if value is None or value == "":
                out[path] = []
            elif isinstance(value, (str, pydicom.valuerep.PersonName)):
                out[path] = [str(value)]
            else:
                out[path] = [str(v) for v in value]


def main(files):
    pydicom.config.replace_un_with_known_vr = False
    result = {}
    for name in files:
        with warnings.catch_warnings():
            # pydicom warns about non-conforming values it still decodes; the values are what we compare
            warnings.simplefilter("ignore")
            dataset = pydicom.dcmread(name)
            values = {}
            text_values(dataset, "", values)
        result[name.rsplit("/", 1)[-1]] = values
    json.dump(result, sys.stdout, ensure_ascii=False, indent=1, sort_keys=True)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main(sys.argv[1:])
