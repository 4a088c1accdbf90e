"""Frames from video files and cameras, and annotated video out, through OpenCV."""
