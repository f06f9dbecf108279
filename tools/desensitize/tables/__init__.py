"""Tables column by column: which role each column plays (from its header, Chinese or English,
and from its content), and how a column plan is applied to a whole column at once."""
