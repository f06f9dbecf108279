"""Building blocks shared by every dataset: seed tree, vectorised dates, county sampling, name
word lists, persons, the court/procuratorate hierarchy and the shipped-YAML loader."""
