"""Reference side of the FITS tests: astropy reads files our codec wrote, and writes files for our
codec to read. Prints JSON on stdout. Run with Debian's /usr/bin/python3 (python3-astropy).

usage: astropy_reference.py describe FILE...   -> {FILE: [hdu, ...]}
       astropy_reference.py write DIR          -> {NAME: [hdu, ...]} for the files it wrote in DIR
"""

import hashlib
import json
import sys
import warnings

import numpy as np
from astropy.io import fits


def pixel_digest(data):
    """SHA-256 of the pixels as little-endian bytes, NaNs made canonical."""
    array = np.asarray(data)
    array = np.ascontiguousarray(array, dtype=array.dtype.newbyteorder("<"))
    if array.dtype.kind == "f":
        array = array.copy()
        array[np.isnan(array)] = np.nan
    return hashlib.sha256(array.tobytes()).hexdigest()


def card_value(value):
    if isinstance(value, (bool, np.bool_)):
        return {"bool": bool(value)}
    if isinstance(value, (int, np.integer)):
        return {"int": str(int(value))}
    if isinstance(value, (float, np.floating)):
        return {"float": float(value)}
    if isinstance(value, str):
        return {"str": value}
    if value is None or isinstance(value, fits.card.Undefined):
        return {"undefined": True}
    return {"other": str(value)}


def describe_hdu(hdu):
    # The header first: touching .data of a scaled image rewrites BITPIX/BZERO/BSCALE in astropy.
    entry = {
        "name": hdu.name,
        "class": type(hdu).__name__,
        "header": [[card.keyword, card_value(card.value)] for card in hdu.header.cards],
    }
    data = hdu.data
    if data is not None and isinstance(hdu, (fits.PrimaryHDU, fits.ImageHDU, fits.CompImageHDU)):
        array = np.asarray(data)
        entry.update(
            dtype=array.dtype.newbyteorder("=").name,
            shape=list(array.shape),
            sha256=pixel_digest(array),
            nan=int(np.isnan(array).sum()) if array.dtype.kind == "f" else 0,
        )
    if isinstance(hdu, fits.CompImageHDU):
        entry["compression"] = hdu._header.get("ZCMPTYPE")
    return entry


def describe(paths):
    out = {}
    for path in paths:
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # a header astropy has to repair is a failure
            with fits.open(path, disable_image_compression=False) as hdul:
                hdul.verify("exception")
                out[path] = [describe_hdu(hdu) for hdu in hdul]
    return out


def write(directory):
    """Files astropy writes for our reader, from seeded data; returns what astropy reads back."""
    rng = np.random.default_rng(20240321)
    shape = (37, 53)  # odd sizes: partial Rice blocks, rows that are not a multiple of anything
    ints = {
        "uint8": rng.integers(0, 256, shape).astype(np.uint8),
        "int16": rng.integers(-32768, 32768, shape).astype(np.int16),
        "int32": (rng.normal(14000, 30, shape)).astype(np.int32),
        "int32wide": rng.integers(-(2**31), 2**31 - 1, shape).astype(np.int32),
        "int64": rng.integers(-(2**62), 2**62, shape).astype(np.int64),
        "uint16": rng.integers(0, 65536, shape).astype(np.uint16),
        "uint32": rng.integers(0, 2**32, shape, dtype=np.uint64).astype(np.uint32),
    }
    floats = {
        "float32": rng.normal(100, 5, shape).astype(np.float32),
        "float64": rng.normal(-3, 1e3, shape).astype(np.float64),
    }
    floats["float32"][3, 4] = np.nan
    floats["float64"][10, 11] = np.nan
    names = []

    def save(name, hdus):
        fits.HDUList(hdus).writeto(f"{directory}/{name}.fits", overwrite=True)
        names.append(name)

    for key, array in {**ints, **floats}.items():
        save(f"plain-{key}", [fits.PrimaryHDU(array)])
    scaled = fits.PrimaryHDU(ints["int16"])
    scaled.header["BSCALE"] = 0.25
    scaled.header["BZERO"] = 10.0
    scaled.header["BLANK"] = -32768
    save("scaled-int16-blank", [scaled])
    scaled32 = fits.ImageHDU(ints["int32"], name="SCALED")
    scaled32.header["BSCALE"] = 1.5
    scaled32.header["BZERO"] = -7.0
    save("scaled-int32", [fits.PrimaryHDU(), scaled32])

    header = fits.Header()
    header["LONGSTR"] = "a long string value that will not fit on one card, " * 3
    header["HIERARCH ESO DET CHIP NAME"] = "CCD-1"
    header["QUOTED"] = "it's"
    header["EXPTIME"] = 30.0
    header["BIGINT"] = 2**62
    header["FLAG"] = False
    header["UNDEF"] = None
    header["COMMENT"] = "a comment card"
    header["HISTORY"] = "a history card"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        save("header-conventions", [fits.PrimaryHDU(ints["int16"], header=header)])

    table = fits.BinTableHDU.from_columns(
        [fits.Column(name="AMP", format="8A", array=np.array(["C10", "C11"])), fits.Column(name="GAIN", format="D", array=[1.05, 1.1])],
        name="AMPS",
    )
    save("multi-extension", [fits.PrimaryHDU(header=header_min()), fits.ImageHDU(ints["int16"], name="SCI"), table,
                             fits.CompImageHDU(ints["int32"], name="COMP"), fits.ImageHDU(floats["float32"], name="VAR")])

    for kind in ("RICE_1", "GZIP_1", "GZIP_2"):
        for key in ("uint8", "int16", "int32", "int32wide", "uint16"):
            save(f"{kind}-{key}", [fits.PrimaryHDU(), fits.CompImageHDU(ints[key], compression_type=kind, name=key)])
        save(
            f"{kind}-tiles-int32",
            [fits.PrimaryHDU(), fits.CompImageHDU(ints["int32"], compression_type=kind, tile_size=(8, 10))],
        )
        for key, array in floats.items():
            for method in ("SUBTRACTIVE_DITHER_1", "NO_DITHER", "SUBTRACTIVE_DITHER_2"):
                hdu = fits.CompImageHDU(
                    array, compression_type=kind, quantize_method=_quantize(method), dither_seed=7, name=key
                )
                save(f"{kind}-{key}-{method}", [fits.PrimaryHDU(), hdu])
    for kind in ("GZIP_1", "GZIP_2"):
        # astropy 5.2 cannot compress int64 ("writing TLONGLONG to compressed image is not supported").
        for key, array in floats.items():
            hdu = fits.CompImageHDU(array, compression_type=kind, quantize_level=0.0)
            save(f"{kind}-{key}-lossless", [fits.PrimaryHDU(), hdu])
    return describe([f"{directory}/{name}.fits" for name in names])


def header_min():
    header = fits.Header()
    header["INSTRUME"] = "LSSTCamSim"
    return header


def _quantize(method):
    return {"NO_DITHER": -1, "SUBTRACTIVE_DITHER_1": 1, "SUBTRACTIVE_DITHER_2": 2}[method]


if __name__ == "__main__":
    command, *args = sys.argv[1:]
    result = describe(args) if command == "describe" else write(args[0])
    json.dump(result, sys.stdout)
