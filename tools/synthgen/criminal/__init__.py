"""The criminal-review dataset (审查逮捕 / 审查起诉): parameters, draws, decision models,
calibration, legal timing, the procuratorate hierarchy, partitions and the instructor-only truth."""
