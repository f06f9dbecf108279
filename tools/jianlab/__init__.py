"""jianlab."""
