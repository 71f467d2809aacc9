"""Checks a headless-Chromium screenshot of the report: a real PNG, not blank, and no console
errors in Chromium's log. Standard library only.

Usage: python3 scripts/check_report.py SCREENSHOT.png CHROMIUM_LOG
"""
import struct
import sys
import zlib


def pixels(path):
    data = open(path, "rb").read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, width, height = 8, b"", 0, 0
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height = struct.unpack(">II", body[:8])
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    return width, height, zlib.decompress(idat)


def main(png, log):
    width, height, raw = pixels(png)
    distinct = len(set(raw[::7]))
    dark = sum(1 for b in raw[::7] if b < 128)
    print(f"  screenshot {width}x{height}: {distinct} distinct byte values, {dark} dark samples")
    assert width >= 800 and height >= 600, "screenshot too small"
    assert distinct > 50 and dark > 1000, "the page looks blank"
    errors = [l for l in open(log, errors="replace") if "CONSOLE" in l and ("Uncaught" in l or "ERROR" in l)]
    assert not errors, "console errors:\n" + "".join(errors)
    print("  no console errors")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
