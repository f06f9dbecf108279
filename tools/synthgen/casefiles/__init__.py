"""Electronic case files (电子卷宗) of 终本 cases, with exact personal-information spans as the
answer key for desensitization and formal-record defects for case-quality review."""
