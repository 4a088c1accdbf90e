"""Pure rules of stretchcoach: no I/O, no frameworks, time comes in through a clock."""
