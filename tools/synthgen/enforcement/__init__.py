"""The civil-enforcement world (执行案件, 终本): courts, parties, asset registries, enforcement
actions, planted violations and restored cases, one province x filing-year partition at a time."""
