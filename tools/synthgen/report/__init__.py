"""`jianlab data report`: recompute rates and re-estimate the DGP from a built dataset, set them
beside the published targets and the truth, and render Markdown, JSON and figures."""
