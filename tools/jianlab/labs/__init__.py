"""Lab authoring: typed lab.yaml/course.yaml, jupytext sources, nbgrader markers, lint, check."""
