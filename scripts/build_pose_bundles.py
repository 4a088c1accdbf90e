"""Build the pose models' `.task` bundles from the vendored BlazePose weights, reproducibly.

MediaPipe's PoseLandmarker (the phone's `@mediapipe/tasks-vision` and Python's
`mediapipe.tasks`) loads a `.task` file: a zip, stored uncompressed and 4-byte aligned, of
two TensorFlow Lite models, `pose_detector.tflite` and `pose_landmarks_detector.tflite`,
each carrying the metadata that says how its input image is normalised. No package ships
one, so this script makes them from the weights of the npm package `@mediapipe/pose`
0.5.1675469404 (Apache-2.0), whose tarball is checked against its sha256 below:

- the person detector: the only file inside `pose_solution_packed_assets.data`;
- the landmark models: `pose_landmark_{lite,full,heavy}.tflite`.

The metadata is written by MediaPipe's own metadata writer
(`mediapipe.tasks.python.metadata.metadata_writers`), which needs a mediapipe wheel that
carries it: run this with Python 3.11 and mediapipe 0.10.14, e.g.

    python3.11 -m venv /tmp/bundle && /tmp/bundle/bin/pip install mediapipe==0.10.14 'numpy<2'
    /tmp/bundle/bin/python scripts/build_pose_bundles.py [--tarball FILE]

Without `--tarball`, it runs `npm pack` to fetch the package from the npm registry. It
writes the lite bundle for the phone (web/static/vendor/mediapipe-tasks-vision/) and the
full bundle for the Python adapter (adapters/pose/models/), and prints each file's sha256,
which MODELS.md beside them records. The same inputs give byte-identical bundles.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from pathlib import Path

PACKAGE = "@mediapipe/pose@0.5.1675469404"
TARBALL_SHA256 = "8bb349a7b3a3ba699df23be804ddd3b3eab810b50b15406894be257859388a84"
DETECTOR_BYTES = 2_962_288  # pose_detection.tflite, the packed assets' only file
ROOT = Path(__file__).resolve().parent.parent / "src" / "stretchcoach"
OUTPUTS = {
    "lite": ROOT / "web" / "static" / "vendor" / "mediapipe-tasks-vision",
    "full": ROOT / "adapters" / "pose" / "models",
}
# How each model's input image is scaled (MediaPipe's pose graphs): the detector takes
# pixels in [-1, 1], the landmark model in [0, 1].
DETECTOR_NORM = (127.5, 127.5)
LANDMARK_NORM = (0.0, 255.0)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def fetch_tarball() -> bytes:
    with tempfile.TemporaryDirectory() as folder:
        subprocess.run(
            ["npm", "pack", PACKAGE, "--silent", "--pack-destination", folder],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        (tarball,) = Path(folder).glob("*.tgz")
        return tarball.read_bytes()


def package_files(tarball: bytes) -> dict[str, bytes]:
    if sha256(tarball) != TARBALL_SHA256:
        sys.exit(f"the tarball is not {PACKAGE}: its sha256 is {sha256(tarball)}")
    files: dict[str, bytes] = {}
    with tarfile.open(fileobj=io.BytesIO(tarball)) as archive:
        for member in archive.getmembers():
            handle = archive.extractfile(member)
            if handle is not None:
                files[member.name.removeprefix("package/")] = handle.read()
    return files


def with_metadata(model: bytes, name: str, norm: tuple[float, float]) -> bytes:
    from mediapipe.tasks.python.metadata.metadata_writers import metadata_writer

    writer = metadata_writer.MetadataWriter.create(bytearray(model))
    writer.add_general_info(name, f"BlazePose {name}, from {PACKAGE}")
    writer.add_image_input(norm_mean=[norm[0]], norm_std=[norm[1]])
    content, _ = writer.populate()
    return bytes(content)


def bundle(detector: bytes, landmarks: bytes, out: Path) -> None:
    """MediaPipe's aligned zip, with a fixed date on each entry so a rebuild is identical."""
    from mediapipe.tasks.python.metadata.metadata_writers.model_asset_bundle_utils import (
        AlignZipFile,
    )

    models = {"pose_detector.tflite": detector, "pose_landmarks_detector.tflite": landmarks}
    with AlignZipFile(out, mode="w", alignment=4) as archive:
        for name, content in models.items():
            archive.writestr(zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0)), content)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tarball", type=Path, help=f"`npm pack {PACKAGE}`'s file")
    args = parser.parse_args()
    files = package_files(args.tarball.read_bytes() if args.tarball else fetch_tarball())
    detector = with_metadata(
        files["pose_solution_packed_assets.data"][:DETECTOR_BYTES], "pose_detector", DETECTOR_NORM
    )
    for variant, folder in OUTPUTS.items():
        landmarks = with_metadata(
            files[f"pose_landmark_{variant}.tflite"], "pose_landmarks_detector", LANDMARK_NORM
        )
        folder.mkdir(parents=True, exist_ok=True)
        out = folder / f"pose_landmarker_{variant}.task"
        bundle(detector, landmarks, out)
        print(f"{out.relative_to(ROOT.parent.parent)}  sha256 {sha256(out.read_bytes())}")


if __name__ == "__main__":
    main()
