"""Uncompressed size of an image, per layer, from its docker archive (what `images.sh` exports).

    python3 scripts/cluster/image-sizes.py ARCHIVE [--top N]

A layer's size is its uncompressed tar as stored in the archive (what a node unpacks, plus
tar headers); each layer is named by the build step that made it (the image's history).
`--top N` also lists each layer's N biggest directories (two levels below site-packages,
else three below the layer's root). Markdown tables on stdout; standard library only.
"""

from __future__ import annotations

import argparse
import json
import tarfile
from collections import Counter
from pathlib import PurePosixPath

MIB = 2**20


def layers(archive: tarfile.TarFile) -> tuple[list[tuple[str, int, str]], str]:
    """[(layer path in the archive, size, the step that made it)], and the image's name."""
    manifest = json.load(archive.extractfile("manifest.json"))[0]  # type: ignore[arg-type]
    config = json.load(archive.extractfile(manifest["Config"]))  # type: ignore[arg-type]
    steps = [h.get("created_by", "") for h in config.get("history", []) if not h.get("empty_layer")]
    paths = manifest["Layers"]
    steps = steps[-len(paths) :] if len(steps) >= len(paths) else [""] * (len(paths) - len(steps)) + steps
    found = []
    for path, step in zip(paths, steps, strict=True):
        found.append((path, archive.getmember(path).size, " ".join(step.split())))
    return found, ", ".join(manifest.get("RepoTags") or [])


def label(step: str) -> str:
    step = step.removeprefix("/bin/sh -c ").removeprefix("#(nop) ")
    return step if len(step) <= 90 else step[:87] + "..."


def biggest(archive: tarfile.TarFile, path: str, top: int) -> list[tuple[str, int]]:
    inner = tarfile.open(fileobj=archive.extractfile(path))  # type: ignore[arg-type]
    sizes: Counter[str] = Counter()
    for member in inner:
        if not member.isfile():
            continue
        parts = PurePosixPath(member.name.lstrip("./")).parts
        if "site-packages" in parts:
            i = parts.index("site-packages")
            key = "/".join(parts[i + 1 : i + 3]) if len(parts) > i + 2 else parts[i + 1]
            key = "site-packages/" + key
        else:
            key = "/".join(parts[:3])
        sizes[key] += member.size
    return sizes.most_common(top)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("archive")
    parser.add_argument("--top", type=int, default=0)
    args = parser.parse_args()
    with tarfile.open(args.archive) as archive:
        found, name = layers(archive)
        total = sum(size for _, size, _ in found)
        print(f"{name}: {total / MIB:.1f} MiB ({total / 1e6:.0f} MB) uncompressed, {len(found)} layers\n")
        print("| layer | MiB | made by |\n|---|---|---|")
        for i, (_, size, step) in enumerate(found, 1):
            print(f"| {i} | {size / MIB:.1f} | `{label(step)}` |")
        print(f"| all | **{total / MIB:.1f}** | |")
        for i, (path, size, _) in enumerate(found if args.top else [], 1):
            print(f"\nLayer {i}, its biggest directories (files only; {size / MIB:.1f} MiB in all):\n")
            print("| directory | MiB |\n|---|---|")
            for key, n in biggest(archive, path, args.top):
                print(f"| {key} | {n / MIB:.1f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
