"""The codebook as data: the strict model of codebook YAML, resolution of its references into a
build's parameters, document sets, and the Chinese Markdown rendering."""
