"""Course building: an nbgrader course root from courses/<id>/course.yaml, with per-student data."""
