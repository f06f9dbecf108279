"""JupyterHub for one course: hub config, users' Jupyter config, the formgrader service."""
