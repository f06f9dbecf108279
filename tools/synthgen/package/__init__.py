"""Dataset-level metadata written after the tables: codebook, Frictionless datapackage.json,
manifest, build record, and student copies without the truth."""
