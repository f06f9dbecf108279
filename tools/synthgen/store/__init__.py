"""Dataset storage: table files in either layout (hive Parquet, single files, CSV/XLSX), reading
them back typed by the codebook, and the content-hash manifest."""
