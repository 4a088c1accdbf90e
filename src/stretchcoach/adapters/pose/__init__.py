"""Pose estimators: images in, `stretchcoach.domain.form.pose.Pose` out."""

from stretchcoach.errors import StretchcoachError


class VisionUnavailable(StretchcoachError):
    """The camera coach cannot run here: the vision extra or its bundled model is missing."""
