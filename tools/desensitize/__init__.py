"""desensitize."""
