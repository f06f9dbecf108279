"""`jianlab data verify`: hashes against the manifest, schema from the codebook (pandera), and
vectorised identifier checks."""
