"""Reading what users hand over: text and tables in the encodings Chinese offices produce
(decided per line, refused when ambiguous), table shape checks, and Word documents read and
written paragraph by paragraph. Every failure is an ``InputError`` in Chinese naming the file,
row and column."""
