"""synthgen."""
