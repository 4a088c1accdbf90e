"""The camera form coach's domain: pose geometry, smoothing, the form state machine."""
